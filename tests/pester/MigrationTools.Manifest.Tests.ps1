#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Needs a built module (dotnet build MigrationTools.sln, or ./build.ps1): RootModule points at Module/bin.

BeforeAll {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    $manifestData = Import-PowerShellDataFile -Path $manifestPath
}

Describe 'The MigrationTools manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'lists its exports explicitly, without wildcards' {
        foreach ($key in 'CmdletsToExport', 'FunctionsToExport', 'AliasesToExport', 'VariablesToExport') {
            $manifestData.ContainsKey($key) | Should -BeTrue -Because "$key must be listed"
            @($manifestData[$key]) -like '*[*?]*' | Should -BeNullOrEmpty -Because "$key must name commands exactly"
        }
    }
}

Describe 'The imported MigrationTools module' {
    BeforeAll {
        $module = Import-Module -Name $manifestPath -Force -PassThru -ErrorAction Stop
    }

    AfterAll {
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'has the manifest version' {
        $module.Version | Should -Be ([version] $manifestData.ModuleVersion)
    }

    It 'exports exactly the commands in CmdletsToExport' {
        $exported = @(Get-Command -Module 'MigrationTools' | ForEach-Object { $_.Name } | Sort-Object)
        $declared = @($manifestData.CmdletsToExport | Sort-Object)

        ($exported -join ', ') | Should -Be ($declared -join ', ')
    }

    It 'exports every command as a cmdlet' {
        Get-Command -Module 'MigrationTools' |
            Where-Object { $_.CommandType -ne 'Cmdlet' } |
            Should -BeNullOrEmpty
    }
}
