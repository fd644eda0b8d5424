#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Service addresses on the lab (sudo tests/lab/lab.sh up), with a workload of its own whose address lives on an
# interface no host has, so nothing on any interface changes: Start-Workload fails with ServiceAddressFailed, and
# Test-Migration's plan lists the address and fails its interface check. Skipped when the lab does not answer.
# Needs a built module (dotnet build MigrationTools.sln). The lab's state directory is $env:MT_LAB_STATE.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
}

Describe 'Service addresses on the lab' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop
        $lab = @{ SshConfigFile = (Get-LabSshConfigPath) }

        $name = "pester-$([guid]::NewGuid().ToString('N').Substring(0, 10))-addr"
        # Of the lab's own range (10.0.91.200-239), on an interface name no lab host has.
        $address = '10.0.91.201/24@mtnone9'
        $journalPath = Join-Path ([System.IO.Path]::GetTempPath()) "$name-journal"
        Register-Workload @lab -ComputerName h1 -Name $name -Dataset @() -Command 'sh', '-c', 'sleep 600' -CheckpointMode Restart `
            -ServiceAddress $address -HealthCommand 'true' -Confirm:$false -ErrorAction Stop
    }

    AfterAll {
        Stop-Workload @lab -ComputerName h1 -Name $name -Timeout 0 -Confirm:$false -ErrorAction SilentlyContinue
        Unregister-Workload @lab -ComputerName h1 -Name $name -Confirm:$false -ErrorAction SilentlyContinue
        Remove-Item -Path $journalPath -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'Start-Workload reports an interface the host lacks as ServiceAddressFailed and starts nothing' {
        Start-Workload @lab -ComputerName h1 -Name $name -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable startErrors

        $startErrors.Count | Should -Be 1
        $startErrors[0].FullyQualifiedErrorId | Should -Be 'ServiceAddressFailed,MigrationTools.Commands.StartWorkloadCommand'
        "$($startErrors[0].CategoryInfo.Category)" | Should -Be 'ResourceUnavailable'
        $startErrors[0].Exception.Message | Should -BeLike '*10.0.91.201/24@mtnone9*'
        "$((Get-Workload @lab -ComputerName h1 -Name $name).State)" | Should -Be 'Stopped'
    }

    It 'Test-Migration lists the address in the plan, from the manifest the preflight read, and fails its interface check on the destination' {
        $plan = Test-Migration @lab -ComputerName h1 -Name $name -Destination h2 -JournalPath $journalPath

        $plan.ServiceAddresses | Should -Be @($address)
        $check = @($plan.Checks | Where-Object { $_.Name -eq 'ServiceAddressInterface' })
        $check.Count | Should -Be 1
        $check[0].Passed | Should -BeFalse
        $check[0].Target | Should -Be $address
        $plan.Passed | Should -BeFalse
        ($plan | ConvertTo-Json -Depth 3 | ConvertFrom-Json).ServiceAddresses | Should -Be @($address)
    }
}
