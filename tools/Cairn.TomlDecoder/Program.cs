// The toml-test decoder interface (TOML on stdin, tagged JSON on stdout). Not built yet: see issue 2.
Console.Error.WriteLine("cairn-toml-decoder: not built yet (issue 2).");
return 1;
