Console.WriteLine("reviewbot-agent");
