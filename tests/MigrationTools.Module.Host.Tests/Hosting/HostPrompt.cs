namespace MigrationTools.Module.Host.Tests.Hosting;

/// <summary>How a cmdlet asked the user something through the host.</summary>
public enum HostPromptKind
{
    /// <summary>PSHostUserInterface.PromptForChoice: what -Confirm (ShouldProcess) and ShouldContinue ask.</summary>
    Choice,

    /// <summary>PSHostUserInterface.Prompt: a mandatory parameter or Read-Host asked for values.</summary>
    Fields,

    /// <summary>PSHostUserInterface.ReadLine.</summary>
    Line,
}

/// <summary>One question the host was asked, with the labels it could be answered with.</summary>
public sealed record HostPrompt(HostPromptKind Kind, string Caption, string Message, IReadOnlyList<string> Choices);
