# Runs the Pester tests in this folder in the PowerShell that runs this script, and prints one summary line
# ("Pester: N passed, N failed, N skipped") that .ci/run adds to its own. build.ps1 starts it in a fresh process so the
# session that builds never holds Module/bin open. Exits with the number of failed tests and containers (0 on success).
[CmdletBinding()]
param(
    # The Pester 5 manifest to import (build.ps1 finds an installed one or restores it from NuGet).
    [Parameter(Mandatory)]
    [string] $PesterManifest,

    # Test files or folders; by default this folder. Under -File give one; a comma-separated list is split here.
    [string[]] $Path = @($PSScriptRoot),

    # Where to write the results as NUnit XML, if anywhere.
    [string] $ResultPath
)

$ErrorActionPreference = 'Stop'
Import-Module -Name $PesterManifest
$Path = @($Path | ForEach-Object { $_ -split ',' } | Where-Object { $_ })

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
if ($ResultPath) {
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputPath = $ResultPath
}

# The lab files' own ssh commands share a connection per host through control sockets here (Get-LabSshOption in
# Lab.ps1); the connections are closed and the directory removed when the run ends.
$controlDirectory = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-ssh-$PID"
$null = New-Item -ItemType Directory -Path $controlDirectory -Force
if (-not $IsWindows) {
    [System.IO.File]::SetUnixFileMode($controlDirectory, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
}

$env:MT_PESTER_SSH_CONTROL = $controlDirectory
try {
    $result = Invoke-Pester -Configuration $configuration
}
finally {
    foreach ($socket in Get-ChildItem -Path $controlDirectory -ErrorAction SilentlyContinue) {
        $null = & ssh -O exit -o "ControlPath=$($socket.FullName)" unused 2>&1
    }

    Remove-Item -Path $controlDirectory -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Item -Path Env:MT_PESTER_SSH_CONTROL -ErrorAction SilentlyContinue
}

if ($null -eq $result) {
    # No result means no test ran (a path that names nothing, for one): that is a failure, never a pass.
    Write-Host "Pester: 0 passed, 1 failed, 0 skipped (Invoke-Pester returned no result for $($Path -join ', '))"
    exit 1
}

# A container that failed before its tests ran (a throwing BeforeDiscovery or BeforeAll, such as a lab that CI needs and
# that does not answer) counts as a failure: its tests never ran, so none of them may pass silently.
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, $failed, ($result.SkippedCount + $result.NotRunCount))
exit $failed
