using System.Text;
using System.Xml;
using MigrationTools.HelpBuilder;

// MigrationTools.HelpBuilder <docs directory> <output directory>
// Writes <external help file> (MAML) for the cmdlet pages and about_Name.help.txt for the about topics of the docs
// directory. A malformed page is reported in MSBuild's error format, naming its file, line and section.
if (args.Length != 2)
{
    Console.Error.WriteLine("Usage: MigrationTools.HelpBuilder <docs directory> <output directory>");
    return 2;
}

var (docs, output) = (Path.GetFullPath(args[0]), Path.GetFullPath(args[1]));
var pages = Directory.GetFiles(docs, "*.md").Order(StringComparer.Ordinal).ToArray();
if (pages.Length == 0)
{
    Console.Error.WriteLine($"{docs}: error MTHELP0002: no help pages (*.md) in the directory.");
    return 1;
}

var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
var commands = new List<CommandHelp>();
var aboutTopics = new List<(string Name, string Text)>();
var failed = false;
foreach (var page in pages)
{
    try
    {
        var text = File.ReadAllText(page, encoding);
        var name = Path.GetFileNameWithoutExtension(page);
        if (name.StartsWith("about_", StringComparison.Ordinal))
        {
            aboutTopics.Add((name, AboutTopicWriter.Write(page, text)));
        }
        else
        {
            commands.Add(CommandPageReader.Read(page, text));
        }
    }
    catch (HelpPageException e)
    {
        Console.Error.WriteLine($"{e.File}({e.Line}): error MTHELP0001: {e.Section}: {e.Problem}");
        failed = true;
    }
}

if (failed)
{
    return 1;
}

Directory.CreateDirectory(output);
var settings = new XmlWriterSettings { Encoding = encoding, Indent = true, NewLineChars = "\n" };
foreach (var file in commands.GroupBy(c => c.HelpFile, StringComparer.Ordinal))
{
    var path = Path.Combine(output, file.Key);
    using var writer = XmlWriter.Create(path, settings);
    MamlWriter.Write(file).Save(writer);
    Console.WriteLine($"{path}: help of {file.Count()} cmdlets");
}

foreach (var (name, text) in aboutTopics)
{
    var path = Path.Combine(output, name + ".help.txt");
    File.WriteAllText(path, text, encoding);
    Console.WriteLine($"{path}: {name}");
}

return 0;
