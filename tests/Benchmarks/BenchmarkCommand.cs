namespace Qcdc.Benchmarks;

/// <summary>dotnet run -c Release --project tests/Benchmarks -- &lt;ingest|rollup|rollup-cpu|coldstart|soak|export|import|checks&gt;</summary>
public static class BenchmarkCommand
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return (args.FirstOrDefault() ?? "") switch
        {
            "ingest" => await IngestBenchmark.RunAsync(args[1..], cancel.Token),
            "rollup" => await RollupBenchmark.RunAsync(args[1..], cancel.Token),
            "rollup-cpu" => await RollupCpuBenchmark.RunAsync(args[1..], cancel.Token),
            "coldstart" => await ColdStartBenchmark.RunAsync(args[1..], cancel.Token),
            "soak" => await SoakBenchmark.RunAsync(args[1..], cancel.Token),
            "export" => await ExportBenchmark.RunAsync(args[1..], cancel.Token),
            "import" => await ImportBenchmark.RunAsync(args[1..], cancel.Token),
            "checks" => await ChecksBenchmark.RunAsync(args[1..], cancel.Token),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Benchmarks -- ingest [--submissions N] [--clients N] | rollup [--communes N] | rollup-cpu [--communes N] [--rounds N] | coldstart [--runs N] | soak [--seconds N] [--clients N] | export [--communes N] [--rounds N] | import [--communes N] | checks [--communes N] [--rounds N]");
        return 2;
    }
}
