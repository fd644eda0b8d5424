#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module's cmdlets in a real PowerShell, without any host: formatting, completion, and the input errors reported
# before a host is reached. Needs a built module (dotnet build MigrationTools.sln); the lab is not used.

BeforeAll {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
    $workDirectory = Join-Path ([System.IO.Path]::GetTempPath()) ("mt-pester-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $workDirectory | Out-Null
}

AfterAll {
    Remove-Item -Path $workDirectory -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
}

Describe 'Formatting' {
    It 'has a table view and a list view for Workload objects' {
        $views = (Get-FormatData -TypeName 'MigrationTools.Workload' -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition

        $views | ForEach-Object { $_.Control.GetType().Name } | Sort-Object | Should -Be @('ListControl', 'TableControl')
        ($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }).Control.Headers.Label |
            Should -Be @('ComputerName', 'Name', 'State', 'ProcessId', 'Used', 'CheckpointMode')
    }
}

Describe 'Completion of -ComputerName' {
    BeforeAll {
        $config = Join-Path $workDirectory 'ssh_config'
        Set-Content -Path $config -Value @(
            'Host h1', '    HostName 127.0.0.11',
            'Host h2 h2-alias', '    HostName 127.0.0.12',
            'Host *.internal', '    User ops'
        )
    }

    It 'offers the Host aliases of the ssh_config given to -SshConfigFile for <Command>' -ForEach @(
        @{ Command = 'Get-Workload' }
        @{ Command = 'Start-Workload' }
        @{ Command = 'Stop-Workload' }
        @{ Command = 'Register-Workload' }
        @{ Command = 'Unregister-Workload' }
    ) {
        $line = "$Command -SshConfigFile '$config' -ComputerName h"

        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

        $completion.CompletionMatches.CompletionText | Should -Be @('h1', 'h2', 'h2-alias')
        $completion.CompletionMatches[0].ToolTip | Should -Be 'h1 (127.0.0.11)'
    }
}

Describe 'Input errors, reported before any host is reached' {
    It 'reports InvalidComputerName for a name ssh would read as an option' {
        Get-Workload -ComputerName '-oProxyCommand=touch /tmp/x' -ErrorAction SilentlyContinue -ErrorVariable listErrors

        $listErrors.FullyQualifiedErrorId | Should -Be 'InvalidComputerName,MigrationTools.Commands.GetWorkloadCommand'
        "$($listErrors[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $listErrors[0].TargetObject | Should -Be '-oProxyCommand=touch /tmp/x'
    }

    It 'reports InvalidWorkloadName for Stop-Workload and goes on with the next input' {
        $inputs = @(
            [pscustomobject]@{ ComputerName = 'h1'; Name = 'bad name' }
            [pscustomobject]@{ ComputerName = 'h1'; Name = 'also bad!' }
        )

        $inputs | Stop-Workload -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable stopErrors

        $stopErrors.FullyQualifiedErrorId | Should -Be @(
            'InvalidWorkloadName,MigrationTools.Commands.StopWorkloadCommand'
            'InvalidWorkloadName,MigrationTools.Commands.StopWorkloadCommand'
        )
        $stopErrors[0].TargetObject | Should -Be 'bad name on h1'
        $stopErrors[0].Exception.Message | Should -BeLike '-Name: The workload name*'
    }

    It 'reports InvalidDatasetName for Register-Workload' {
        Register-Workload -ComputerName h1 -Name web -Dataset 'tank/bad name' -Command 'true' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable registerErrors

        $registerErrors.FullyQualifiedErrorId | Should -Be 'InvalidDatasetName,MigrationTools.Commands.RegisterWorkloadCommand'
    }

    It 'ends the command with <ErrorId> when <Case>' -ForEach @(
        @{ Case = '-KeyFilePath names no file'; Parameters = @{ KeyFilePath = '/nonexistent/id_ed25519' }; ErrorId = 'KeyFileNotFound' }
        @{ Case = '-SshConfigFile names no file'; Parameters = @{ SshConfigFile = '/nonexistent/ssh_config' }; ErrorId = 'SshConfigFileNotFound' }
        @{ Case = '-UserName and -Credential are both given'; Parameters = @{ UserName = 'root'; Credential = [pscredential]::new('deploy', [securestring]::new()) }; ErrorId = 'ConflictingUserName' }
        @{ Case = '-UserName is not a user name'; Parameters = @{ UserName = 'root;reboot' }; ErrorId = 'InvalidConnectionOption' }
    ) {
        { Get-Workload -ComputerName h1 @Parameters } | Should -Throw -ErrorId "$ErrorId,MigrationTools.Commands.GetWorkloadCommand"
    }

    It 'resolves a relative -KeyFilePath from the current location' {
        Push-Location -Path $workDirectory
        try {
            Set-Content -Path 'my key' -Value ''

            { Get-Workload -ComputerName h1 -KeyFilePath './my key' } |
                Should -Throw -ErrorId 'InvalidConnectionOption,MigrationTools.Commands.GetWorkloadCommand' -ExpectedMessage "*$workDirectory/my key*"
        }
        finally {
            Pop-Location
        }
    }

    It 'refuses two kinds of health check at once' {
        { Register-Workload -ComputerName h1 -Name web -Dataset @() -Command 'true' -HealthPort 80 -HealthCommand 'true' -WhatIf } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,MigrationTools.Commands.RegisterWorkloadCommand'
    }
}
