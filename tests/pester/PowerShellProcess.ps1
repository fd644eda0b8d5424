# Shared by the Pester files that start another PowerShell. Dot-source it, then run `& $c[0] @($c | Select-Object -Skip 1)
# <arguments>` with $c = Get-PowerShellCommand.

# The command that starts a PowerShell like this one: pwsh itself, or `dotnet exec pwsh.dll` when this one runs as a
# .NET tool (`dotnet pwsh`, pinned in .config/dotnet-tools.json).
function Get-PowerShellCommand {
    $executable = [System.Environment]::ProcessPath
    if ((Split-Path -Path $executable -Leaf) -match '^dotnet(\.exe)?$') {
        return @($executable, 'exec', (Join-Path $PSHOME 'pwsh.dll'))
    }

    @($executable)
}
