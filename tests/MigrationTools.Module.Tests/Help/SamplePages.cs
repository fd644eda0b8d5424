namespace MigrationTools.Module.Tests.Help;

/// <summary>Help pages of a made-up cmdlet, Set-Sample, for the help generator's tests; each test alters one thing.</summary>
internal static class SamplePages
{
    public const string CommandFile = "Set-Sample.md";

    /// <summary>
    /// Two parameter sets (ByName, the default, and ById), a positional mandatory parameter, a switch, a parameter in
    /// every set, pipeline input, aliases, wildcards, -WhatIf and -Confirm, two examples and two related links.
    /// </summary>
    public const string Command = """
        ---
        external help file: Sample.dll-Help.xml
        Module Name: Sample
        online version:
        schema: 2.0.0
        ---

        # Set-Sample

        ## SYNOPSIS
        Sets a sample.

        ## SYNTAX

        ### ByName (Default)
        ```
        Set-Sample [-Name] <String[]> [-Force] [-Size <Int64>] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ### ById
        ```
        Set-Sample -Id <Guid> [-Size <Int64>] [-WhatIf] [-Confirm] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Sets the sample named by -Name or -Id,
        with `code` and a [link](https://example.org/sample).

        - First item,
          continued.
        - Second item.

        ```
        a code line that is kept as it is, however long it may be, even when it is longer than the width of the help
        ```

        ## EXAMPLES

        ### Example 1: Set a sample by name

        ```powershell
        PS> Set-Sample -Name one
        PS> Set-Sample two -Size 10
        ```

        The first sample is set.

        ### Example 2: Set one by id

        Given an id:

        ```powershell
        PS> Set-Sample -Id 6f2d2f7e-8d2b-4f2a-9d55-2a3c2b1e0f00
        ```

        ## PARAMETERS

        ### -Confirm
        Prompts you for confirmation before running the cmdlet.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: cf

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Force
        Sets it even when it is locked.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: ByName
        Aliases:

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -Id
        The sample's id.

        ```yaml
        Type: Guid
        Parameter Sets: ById
        Aliases: SampleId, Key

        Required: True
        Position: Named
        Default value: None
        Accept pipeline input: True (ByValue, ByPropertyName)
        Accept wildcard characters: False
        ```

        ### -Name
        The samples' names.

        ```yaml
        Type: String[]
        Parameter Sets: ByName
        Aliases:

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName)
        Accept wildcard characters: True
        ```

        ### -Size
        The new size, in bytes.

        ```yaml
        Type: Int64
        Parameter Sets: (All)
        Aliases:

        Required: False
        Position: Named
        Default value: 0 (unchanged)
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -WhatIf
        Shows what would happen if the cmdlet runs. The cmdlet is not run.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: wi

        Required: False
        Position: Named
        Default value: None
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String
        ### System.Guid
        A name or an id.

        ## OUTPUTS

        ### None

        ## NOTES
        Asks for confirmation.

        ## RELATED LINKS

        [Get-Sample](Get-Sample.md)

        [Online](https://example.org/set-sample)

        """;

    public const string AboutFile = "about_Sample.md";

    public const string About = """
        # about_Sample

        ## about_Sample

        # Short Description
        Samples, briefly.

        # LONG DESCRIPTION
        A sample is something that stands for the rest. This sentence goes on for long enough that it has to be wrapped at
        eighty columns.

        ## How samples work
        - One item.
        - Another item, long enough to be wrapped under its first word rather than under its marker, so it goes on.

        ```powershell
        PS> Set-Sample -Name one
        ```

        # SEE ALSO
        Set-Sample
        """;

    /// <summary>The command page with <paramref name="oldText"/> replaced, which must be in it.</summary>
    public static string CommandWith(string oldText, string newText)
    {
        Assert.Contains(oldText, Command, StringComparison.Ordinal);
        return Command.Replace(oldText, newText, StringComparison.Ordinal);
    }
}
