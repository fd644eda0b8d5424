#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The package that ./build.ps1 -Task Package makes: a .nupkg that PSResourceGet installs from a local repository into
# a fresh user module path, after which the module imports by name, runs and has its help. The package is built into a
# folder of this run's own (a Release build of the module alone; Module/bin is not touched). No host is needed.

BeforeAll {
    $root = (Resolve-Path -Path (Join-Path $PSScriptRoot '../..')).Path
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ("mt-pester-package-" + [guid]::NewGuid().ToString('N'))
    $output = Join-Path $work 'out'
    $freshHome = Join-Path $work 'home'
    New-Item -ItemType Directory -Path $freshHome -Force | Out-Null
    $manifestData = Import-PowerShellDataFile -Path (Join-Path $root 'MigrationTools.psd1')
    $version = $manifestData.ModuleVersion

    . (Join-Path $PSScriptRoot 'PowerShellProcess.ps1')
    $powershell = Get-PowerShellCommand

    function Invoke-PowerShell {
        param([string[]] $Arguments)
        $output = & $powershell[0] @($powershell | Select-Object -Skip 1) -NoProfile -NonInteractive @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String).Trim() }
    }

    $built = Invoke-PowerShell -Arguments @('-File', (Join-Path $root 'build.ps1'), '-Task', 'Package', '-OutputPath', $output)
    $nupkg = Join-Path $output "MigrationTools.$version.nupkg"
}

AfterAll {
    Remove-Item -Path $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The MigrationTools package' {
    It 'is built by ./build.ps1 -Task Package' {
        $built.ExitCode | Should -Be 0 -Because $built.Output
        $nupkg | Should -Exist
        Join-Path $output "MigrationTools/$version/MigrationTools.psd1" | Should -Exist
    }

    It 'ships the manifest, the format and type files and the module''s own assemblies only' {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $archive = [System.IO.Compression.ZipFile]::OpenRead($nupkg)
        try {
            $entries = @($archive.Entries.FullName)
        }
        finally {
            $archive.Dispose()
        }

        $entries | Should -Contain 'MigrationTools.psd1'
        $entries | Should -Contain 'Module/MigrationTools.format.ps1xml'
        $entries | Should -Contain 'Module/MigrationTools.types.ps1xml'
        $entries | Should -Contain 'Module/bin/MigrationTools.dll'
        $entries | Should -Contain 'Module/bin/MigrationTools.Engine.dll'
        @($entries | Where-Object { $_ -like '*.dll' -and $_ -notlike 'Module/bin/MigrationTools*.dll' }) | Should -BeNullOrEmpty
    }

    It 'installs from a local repository with Install-PSResource into a fresh module path, imports by name and has help' {
        # The child's user scope is a home of its own, so the module can come only from the package just installed.
        $script = @'
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name MigrationToolsLocal -Uri $env:MT_PACKAGE_REPOSITORY -Trusted
Install-PSResource -Name MigrationTools -Repository MigrationToolsLocal -Scope CurrentUser -TrustRepository -Quiet
Import-Module -Name MigrationTools
$module = Get-Module -Name MigrationTools
$help = Get-Help -Name Move-Workload -Full
[pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Cmdlets    = @($module.ExportedCmdlets.Keys | Sort-Object)
    Synopsis   = "$($help.Synopsis)".Trim()
    Examples   = @($help.examples.example).Count
    About      = @(Get-Help -Name about_MigrationTools -ErrorAction SilentlyContinue).Count
} | ConvertTo-Json -Compress
'@
        $savedHome, $savedPath = $env:HOME, $env:PSModulePath
        try {
            $env:HOME = $freshHome
            $env:MT_PACKAGE_REPOSITORY = $output
            Remove-Item -Path Env:PSModulePath
            $installed = Invoke-PowerShell -Arguments @('-Command', $script)
        }
        finally {
            $env:HOME, $env:PSModulePath = $savedHome, $savedPath
            Remove-Item -Path Env:MT_PACKAGE_REPOSITORY
        }

        $installed.ExitCode | Should -Be 0 -Because $installed.Output
        $result = ($installed.Output -split "`n")[-1] | ConvertFrom-Json
        $result.ModuleBase | Should -BeLike "$freshHome/*/MigrationTools/$version"
        $result.Version | Should -Be $version
        $result.Cmdlets | Should -Be @($manifestData.CmdletsToExport | Sort-Object)
        $result.Synopsis | Should -Not -BeNullOrEmpty
        $result.Synopsis | Should -Not -Match '^Move-Workload \[' -Because 'the synopsis must come from the help file, not the syntax'
        $result.Examples | Should -BeGreaterThan 0
        $result.About | Should -Be 1
    }
}
