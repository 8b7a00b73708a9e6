// A real SMTP server for the tests (npm smtp-server, pinned): every accepted message is written whole to the folder
// given, one .eml file each. Usage: node smtp-sink.mjs <port> <folder>
import { SMTPServer } from 'smtp-server';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [port, folder] = process.argv.slice(2);
let count = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks = [];
    stream.on('data', chunk => chunks.push(chunk));
    stream.on('end', () => {
      count += 1;
      writeFileSync(join(folder, `${String(count).padStart(4, '0')}.eml`), Buffer.concat(chunks));
      callback();
    });
  },
});
server.listen(Number(port), '127.0.0.1', () => console.log(`listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
