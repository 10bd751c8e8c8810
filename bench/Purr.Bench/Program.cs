using Purr.Bench;

// A tiny dispatcher: the first argument names the benchmark, the rest are its options.
return args.FirstOrDefault() switch
{
    "dunning" => await DunningBench.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Purr.Bench -- dunning [--invoices 1000000] [--customers 200000]");
    return 2;
}
