#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the MigrationTools module.

.DESCRIPTION
    A thin wrapper over the dotnet CLI. Tasks run in the order Build, Test, Docs, Package,
    whatever order they are given in.

      Build    dotnet build MigrationTools.sln; the module lands in Module/bin.
      Test     dotnet test MigrationTools.sln, then the Pester tests in tests/pester when Pester 5 is
               installed.
      Docs     New-ExternalHelp from docs/en-US into out/help/en-US when platyPS is installed.
      Package  a Release build laid out as a publishable module folder in
               out/MigrationTools/<ModuleVersion>.

.PARAMETER Task
    One or more of Build, Test, Package, Docs.

.PARAMETER Configuration
    The dotnet build configuration for Build and Test. Package always builds Release.

.PARAMETER SkipDotnetTest
    With the Test task, run only the Pester tests.

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 -Task Docs, Package
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Docs')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    # With Test: run only the Pester tests (CI has already run dotnet test).
    [switch] $SkipDotnetTest
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$solution = Join-Path $root 'MigrationTools.sln'
$manifestPath = Join-Path $root 'MigrationTools.psd1'
$moduleDirectory = Join-Path $root 'Module'
$helpOutput = Join-Path $root 'out/help/en-US'

function Invoke-Dotnet {
    param(
        [Parameter(Mandatory)]
        [string[]] $Arguments
    )

    Write-Host "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE."
    }
}

function Get-LatestModule {
    param(
        [Parameter(Mandatory)]
        [string] $Name,

        [version] $MinimumVersion = '0.0'
    )

    Get-Module -ListAvailable -Name $Name |
        Where-Object { $_.Version -ge $MinimumVersion } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
}

function Invoke-BuildTask {
    Invoke-Dotnet -Arguments @('build', $solution, '-c', $Configuration)
}

function Invoke-TestTask {
    if (-not $SkipDotnetTest) {
        Invoke-Dotnet -Arguments @('test', $solution, '-c', $Configuration)
    }

    $pester = Get-LatestModule -Name 'Pester' -MinimumVersion '5.0'
    if ($null -eq $pester) {
        Write-Warning 'Pester tests in tests/pester were skipped: Pester 5 or later is not installed (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser).'
        return
    }

    # A separate PowerShell process imports the module, so this session never holds Module/bin open.
    $powershell = (Get-Process -Id $PID).Path
    $testPath = Join-Path $root 'tests/pester'
    $command = "Import-Module -Name '{0}'; " -f ($pester.Path -replace "'", "''")
    $command += "`$configuration = New-PesterConfiguration; "
    $command += "`$configuration.Run.Path = '{0}'; " -f ($testPath -replace "'", "''")
    $command += "`$configuration.Run.Exit = `$true; "
    $command += "`$configuration.Output.Verbosity = 'Detailed'; "
    $command += "Invoke-Pester -Configuration `$configuration"

    & $powershell -NoProfile -NonInteractive -Command $command
    if ($LASTEXITCODE -ne 0) {
        throw "Pester tests failed (exit code $LASTEXITCODE)."
    }
}

function Invoke-DocsTask {
    $docs = Join-Path $root 'docs/en-US'
    $platyPS = Get-LatestModule -Name 'platyPS'
    if ($null -eq $platyPS) {
        Write-Warning 'External help was not built: platyPS is not installed (Install-Module platyPS -Scope CurrentUser).'
        return
    }

    if (-not (Test-Path -Path $docs)) {
        Write-Warning "External help was not built: there is no $docs."
        return
    }

    Import-Module -Name $platyPS.Path
    New-ExternalHelp -Path $docs -OutputPath $helpOutput -Force | Out-Null
    Write-Host "External help written to $helpOutput"
}

function Invoke-PackageTask {
    # Start from an empty Module/bin so nothing left by an earlier build is shipped.
    $bin = Join-Path $moduleDirectory 'bin'
    if (Test-Path -Path $bin) {
        Remove-Item -Path $bin -Recurse -Force
    }

    Invoke-Dotnet -Arguments @('build', $solution, '-c', 'Release')

    $version = (Import-PowerShellDataFile -Path $manifestPath).ModuleVersion
    $destination = Join-Path $root "out/MigrationTools/$version"
    if (Test-Path -Path $destination) {
        Remove-Item -Path $destination -Recurse -Force
    }

    # Same layout as the repository, so RootModule 'Module/bin/MigrationTools.dll' holds in the package.
    $destinationBin = Join-Path $destination 'Module/bin'
    New-Item -ItemType Directory -Path $destinationBin -Force | Out-Null
    Copy-Item -Path $manifestPath -Destination $destination
    Copy-Item -Path (Join-Path $moduleDirectory '*.ps1xml') -Destination (Join-Path $destination 'Module')
    Copy-Item -Path (Join-Path $bin '*.dll'), (Join-Path $bin '*.pdb') -Destination $destinationBin

    if (Test-Path -Path $helpOutput) {
        Copy-Item -Path $helpOutput -Destination (Join-Path $destination 'en-US') -Recurse
    }
    else {
        Write-Warning 'The package has no external help: run the Docs task first to include it.'
    }

    Test-ModuleManifest -Path (Join-Path $destination 'MigrationTools.psd1') | Out-Null
    Write-Host "Module packaged in $destination"
}

Push-Location -Path $root
try {
    foreach ($name in 'Build', 'Test', 'Docs', 'Package') {
        if ($Task -contains $name) {
            Write-Host "== $name ==" -ForegroundColor Cyan
            & "Invoke-$($name)Task"
        }
    }
}
finally {
    Pop-Location
}
