#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the MigrationTools module.

.DESCRIPTION
    A thin wrapper over the dotnet CLI. Tasks run in the order Build, Test, Docs, Package,
    whatever order they are given in.

      Build    dotnet build MigrationTools.sln; the module lands in Module/bin and its help, built from
               docs/en-US, in en-US beside the manifest.
      Test     dotnet test MigrationTools.sln, then every Pester test in tests/pester in a fresh PowerShell
               (Pester 5 from PSModulePath, or the version tests/pester/restore pins, restored from NuGet).
      Docs     builds the help alone (the module's build runs tools/MigrationTools.HelpBuilder).
      Package  a Release build of the module laid out as a publishable module folder in
               <OutputPath>/MigrationTools/<ModuleVersion>, packed into <OutputPath>/MigrationTools.<version>.nupkg
               for Install-PSResource.

.PARAMETER Task
    One or more of Build, Test, Package, Docs.

.PARAMETER Configuration
    The dotnet build configuration for Build and Test. Package always builds Release.

.PARAMETER SkipDotnetTest
    With the Test task, run only the Pester tests.

.PARAMETER OutputPath
    Where Package writes; out/ by default.

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
    [switch] $SkipDotnetTest,

    # Where Package lays out the module folder and writes the .nupkg.
    [string] $OutputPath = (Join-Path $PSScriptRoot 'out')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$solution = Join-Path $root 'MigrationTools.sln'
$manifestPath = Join-Path $root 'MigrationTools.psd1'
$moduleDirectory = Join-Path $root 'Module'

function Invoke-Dotnet {
    param(
        [Parameter(Mandatory)]
        [string[]] $Arguments
    )

    Write-Host "dotnet $($Arguments -join ' ')"
    # To the host, not the output: a function that calls this returns only what it means to.
    & dotnet @Arguments | Out-Host
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

# The command that starts another PowerShell like this one: pwsh itself, or `dotnet exec pwsh.dll` when this session
# runs as a dotnet tool (`dotnet pwsh`, pinned in .config/dotnet-tools.json).
function Get-PowerShellCommand {
    $executable = [System.Environment]::ProcessPath
    if ((Split-Path -Path $executable -Leaf) -match '^dotnet(\.exe)?$') {
        return @($executable, 'exec', (Join-Path $PSHOME 'pwsh.dll'))
    }

    @($executable)
}

# The manifest of Pester 5: one installed on PSModulePath, else the one the NuGet package Pester carries in tools/
# (restored by tests/pester/restore, pinned there), so a machine without the PowerShell Gallery can run the tests.
function Get-PesterManifest {
    $installed = Get-LatestModule -Name 'Pester' -MinimumVersion '5.0'
    if ($null -ne $installed) {
        return $installed.Path
    }

    $project = Join-Path $root 'tests/pester/restore/Pester.Restore.csproj'
    Invoke-Dotnet -Arguments @('restore', $project)
    $version = ([xml](Get-Content -Raw -Path $project)).Project.ItemGroup.PackageDownload.Version.Trim('[', ']')
    $packages = if ($env:NUGET_PACKAGES) {
        $env:NUGET_PACKAGES
    }
    else {
        ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
    }

    $manifest = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path -Path $manifest)) {
        throw "Pester $version was restored, but $manifest is missing."
    }

    $manifest
}

function Invoke-BuildTask {
    Invoke-Dotnet -Arguments @('build', $solution, '-c', $Configuration)
}

function Invoke-TestTask {
    $failures = @()
    if (-not $SkipDotnetTest) {
        # Pester runs even when a dotnet test fails, so one run reports every failure.
        try {
            $arguments = @('test', $solution, '-c', $Configuration)
            # MT_TEST_RESULTS names a directory for one .trx per test project: each test's duration, for a CI log that
            # says where its time went.
            if ($env:MT_TEST_RESULTS) {
                $arguments += @('--logger', 'trx', '--results-directory', $env:MT_TEST_RESULTS)
            }

            Invoke-Dotnet -Arguments $arguments
        }
        catch {
            $failures += $_.Exception.Message
        }
    }

    # A separate PowerShell process imports the module, so this session never holds Module/bin open.
    $powershell = @(Get-PowerShellCommand)
    $runner = Join-Path $root 'tests/pester/Invoke-PesterSuite.ps1'
    $arguments = @('-NoProfile', '-NonInteractive', '-File', $runner, '-PesterManifest', (Get-PesterManifest))
    & $powershell[0] @($powershell | Select-Object -Skip 1) @arguments
    if ($LASTEXITCODE -ne 0) {
        $failures += "Pester tests failed ($LASTEXITCODE failed tests or containers)."
    }

    if ($failures) {
        throw ($failures -join ' ')
    }
}

function Invoke-DocsTask {
    # The module's build turns docs/en-US into the help (tools/MigrationTools.HelpBuilder), failing on a malformed page.
    Invoke-Dotnet -Arguments @('build', (Join-Path $root 'src/MigrationTools/MigrationTools.csproj'), '-c', $Configuration)
    Write-Host "Help built from docs/en-US into $(Join-Path $root 'en-US')"
}

function Invoke-PackageTask {
    $version = (Import-PowerShellDataFile -Path $manifestPath).ModuleVersion
    $package = Join-Path $OutputPath "MigrationTools/$version"
    foreach ($stale in $package, (Join-Path $OutputPath "MigrationTools.$version.nupkg")) {
        if (Test-Path -Path $stale) {
            Remove-Item -Path $stale -Recurse -Force
        }
    }

    # A Release build of the module alone, straight into the package: Module/bin (the Debug build that the tests and an
    # imported module may hold open) is left alone, and nothing an earlier build left there can be shipped.
    $bin = Join-Path $package 'Module/bin'
    $project = Join-Path $root 'src/MigrationTools/MigrationTools.csproj'
    $help = Join-Path $package 'en-US'
    Invoke-Dotnet -Arguments @('build', $project, '-c', 'Release', "-p:ModuleOutputDirectory=$bin/", "-p:HelpOutputDirectory=$help/")

    # Same layout as the repository, so RootModule 'Module/bin/MigrationTools.dll' holds in the package and the help
    # built into en-US is found beside the manifest.
    Copy-Item -Path $manifestPath -Destination $package
    Copy-Item -Path (Join-Path $moduleDirectory '*.ps1xml') -Destination (Join-Path $package 'Module')
    Get-ChildItem -Path $bin -File | Where-Object { $_.Extension -notin '.dll', '.pdb' } | Remove-Item
    Test-ModuleManifest -Path (Join-Path $package 'MigrationTools.psd1') | Out-Null

    # The .nupkg that PSResourceGet installs from a repository (Register-PSResourceRepository -Uri <folder>).
    Compress-PSResource -Path $package -DestinationPath $OutputPath
    Write-Host "Module laid out in $package and packed into $(Join-Path $OutputPath "MigrationTools.$version.nupkg")"
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
