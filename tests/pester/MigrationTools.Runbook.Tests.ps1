#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Unattended runs, each in a child `pwsh -NonInteractive -File`: nothing prompts with -Confirm:$false (even where
# $ConfirmPreference asks for every change), a script with $ErrorActionPreference = 'Stop' exits non-zero on a refused
# migration, and the runbook docs/examples/Move-HostWorkload.ps1 writes its results and exit code. Without hosts, and on
# the lab (sudo tests/lab/lab.sh up) with a counter service of this run's own, skipped when the lab does not answer.
# Each lab host has a network of its own, so only the plan test passes -ReleaseSourceBeforeRestore (for hosts that share
# one), to see it carried from the plan into the move. Needs a built module (dotnet build MigrationTools.sln). The
# lab's state directory is $env:MT_LAB_STATE (default /var/lib/migrationtools-lab).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
}

BeforeAll {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    $runbook = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../docs/examples/Move-HostWorkload.ps1')).Path
    $scratch = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-runbook-$([guid]::NewGuid().ToString('N').Substring(0, 10))"
    $null = New-Item -ItemType Directory -Path $scratch
    $noHost = 'nohost.invalid'

    . (Join-Path $PSScriptRoot 'PowerShellProcess.ps1')
    $pwsh = Get-PowerShellCommand

    # Runs a script file in a child pwsh -NonInteractive, with its standard input closed so a prompt could not be
    # answered either, and returns its exit code and output.
    function Invoke-Unattended {
        param([string] $File, [string[]] $Arguments = @())
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $File) + $Arguments
        $output = $null | & $pwsh[0] @arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | ForEach-Object { "$_" }) -join "`n" }
    }

    # Writes a script that imports the module, asks for confirmation of every change ($ConfirmPreference = 'Low')
    # and stops at the first error, then runs $Body.
    function New-UnattendedScript {
        param([string] $Body)
        $path = Join-Path $scratch "unattended-$([guid]::NewGuid().ToString('N')).ps1"
        @"
`$ErrorActionPreference = 'Stop'
`$ConfirmPreference = 'Low'
Import-Module -Name '$manifestPath'
$Body
"@ | Set-Content -Path $path
        $path
    }
}

AfterAll {
    Remove-Item -Path $scratch -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Unattended runs without hosts' {
    It 'exits non-zero when a migration is refused under $ErrorActionPreference = Stop, and 0 when nothing fails' {
        $refused = New-UnattendedScript "Move-Workload -ComputerName $noHost -Name web -Destination h2 -JournalPath '$scratch/journal' -Confirm:`$false; 'not reached'"
        $whatIf = New-UnattendedScript "Move-Workload -ComputerName $noHost -Name web -Destination h2 -JournalPath '$scratch/journal' -WhatIf; 'reached'"

        $failed = Invoke-Unattended -File $refused
        $passed = Invoke-Unattended -File $whatIf

        $failed.ExitCode | Should -Not -Be 0
        $failed.Output | Should -BeLike '*refused*'
        $failed.Output | Should -Not -BeLike '*not reached*'
        $passed.ExitCode | Should -Be 0
        $passed.Output | Should -BeLike '*reached*'
    }

    It 'exits non-zero when a job''s migration is refused and its results are received under $ErrorActionPreference = Stop' {
        $script = New-UnattendedScript "Move-Workload -ComputerName $noHost -Name web -Destination h2 -JournalPath '$scratch/journal' -AsJob -Confirm:`$false | Receive-Job -Wait -AutoRemoveJob; 'not reached'"

        $run = Invoke-Unattended -File $script

        $run.ExitCode | Should -Not -Be 0
        $run.Output | Should -BeLike '*refused*'
        $run.Output | Should -Not -BeLike '*not reached*'
    }

    It 'does not prompt with -Confirm:$false, where it would fail for want of a console without it' {
        $call = "Start-Migration -ComputerName $noHost -Name web -Destination h2 -JournalPath '$scratch/journal'"
        $confirmed = New-UnattendedScript "$call -Confirm:`$false -ErrorAction SilentlyContinue -ErrorVariable refusal; `$refusal.FullyQualifiedErrorId"
        $asking = New-UnattendedScript $call

        $unattended = Invoke-Unattended -File $confirmed
        $prompting = Invoke-Unattended -File $asking

        $unattended.ExitCode | Should -Be 0
        $unattended.Output | Should -Be 'MigrationRefused,MigrationTools.Commands.StartMigrationCommand'
        $prompting.ExitCode | Should -Not -Be 0
        $prompting.Output | Should -BeLike '*NonInteractive*'
    }

    It 'the runbook exits 1 for a workload it could not move and writes the refusal as objects and JSON' {
        $json = Join-Path $scratch 'refused.json'

        $run = Invoke-Unattended -File $runbook -Arguments '-ComputerName', $noHost, '-Destination', 'h2', '-Name', 'web', '-JsonPath', $json,
            '-JournalPath', "$scratch/journal", '-ModulePath', $manifestPath

        $run.ExitCode | Should -Be 1
        $run.Output | Should -BeLike '*Refused*'
        $results = @(Get-Content -Raw -Path $json | ConvertFrom-Json)
        $results.Count | Should -Be 1
        $results[0].Workload | Should -Be 'web'
        $results[0].Result | Should -Be 'Refused'
        $results[0].ErrorId | Should -Be 'MigrationPlanFailed,MigrationTools.Commands.MoveWorkloadCommand'
        $results[0].Message | Should -BeLike '*SourceReachable*'
    }

    It 'the runbook exits 2 when it cannot list the workloads of the host it drains' {
        $run = Invoke-Unattended -File $runbook -Arguments '-ComputerName', $noHost, '-Destination', 'h2', '-ModulePath', $manifestPath

        $run.ExitCode | Should -Be 2
        $run.Output | Should -BeLike "*$noHost*"
    }
}

Describe 'Unattended runs on the lab' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $sshConfig = Get-LabSshConfigPath
        Import-Module -Name $manifestPath -Force -ErrorAction Stop
        . (Join-Path $PSScriptRoot 'LabCounter.ps1')

        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $journalPath = Join-Path $scratch 'lab-journal'
        $counter = New-LabCounter -Name "pester-rb-$id"
        $planned = New-LabCounter -Name "pester-rb-$id-pl"
        $changed = New-LabCounter -Name "pester-rb-$id-ch"
        $token = (Wait-LabCounter -Service $counter -OnHost h1).token
    }

    AfterAll {
        foreach ($service in @($counter, $planned, $changed) | Where-Object { $_ }) {
            Remove-LabCounter -Service $service
        }

        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'the runbook moves the counter to h2, exits 0 and writes the Migration''s result as JSON' {
        $json = Join-Path $scratch 'moved.json'

        $run = Invoke-Unattended -File $runbook -Arguments '-ComputerName', 'h1', '-Destination', 'h2', '-Name', $counter.Name,
            '-JsonPath', $json, '-JournalPath', $journalPath, '-SshConfigFile', $sshConfig, '-ModulePath', $manifestPath

        $run.ExitCode | Should -Be 0 -Because $run.Output
        $results = @(Get-Content -Raw -Path $json | ConvertFrom-Json)
        $results.Count | Should -Be 1
        $results[0].Result | Should -Be 'Moved'
        $results[0].State | Should -Be 'Switched'
        $results[0].MigrationId | Should -Match '^m-[0-9a-f]{12}$'
        $results[0].Downtime | Should -BeGreaterThan 0
        (Get-Migration -JournalPath $journalPath -Id $results[0].MigrationId).Destination | Should -Be 'h2'
        (Wait-LabCounter -Service $counter -OnHost h2).token | Should -Be $token
    }

    It 'Undo-Migration, which confirms by default, runs unattended with -Confirm:$false and fails for want of a console without it' {
        $migration = Get-Migration -JournalPath $journalPath -Workload $counter.Name -State Switched
        $call = "Undo-Migration -Id $($migration.Id) -JournalPath '$journalPath' -SshConfigFile '$sshConfig'"

        $prompting = Invoke-Unattended -File (New-UnattendedScript $call)
        $afterPrompt = Get-Migration -JournalPath $journalPath -Id $migration.Id
        $unattended = Invoke-Unattended -File (New-UnattendedScript "$call -Confirm:`$false | ForEach-Object { `"`$(`$_.State)`" }")

        $prompting.ExitCode | Should -Not -Be 0
        $prompting.Output | Should -BeLike '*NonInteractive*'
        "$($afterPrompt.State)" | Should -Be 'Switched'
        $unattended.ExitCode | Should -Be 0 -Because $unattended.Output
        $unattended.Output | Should -Be 'RolledBack'
        (Wait-LabCounter -Service $counter -OnHost h1).token | Should -Be $token
    }

    It 'Move-Workload runs a plan piped in with the settings it was tested with, its hook too' {
        $hook = @{ Stage = 'AfterCommit'; Command = 'true' }
        $plan = Test-Migration -SshConfigFile $sshConfig -JournalPath $journalPath -ComputerName h1 -Name $planned.Name -Destination h2 `
            -ReleaseSourceBeforeRestore -Compression Auto -BandwidthLimit 500M -Hook $hook
        $plan.Passed | Should -BeTrue

        $migration = $plan | Move-Workload -SshConfigFile $sshConfig -JournalPath $journalPath -Confirm:$false -ErrorAction Stop

        "$($migration.State)" | Should -Be 'Switched'
        "$($migration.Compression)" | Should -Be 'Auto'
        $migration.BandwidthLimit | Should -Be '500M'
        $migration.ReleaseSourceBeforeRestore | Should -BeTrue
        $migration.CheckpointMode | Should -Be $plan.CheckpointMode
        @($migration.Hooks) | Should -Be @($plan.Hooks)
        @($migration.Hooks).Count | Should -Be 1
        (Wait-LabCounter -Service $planned -OnHost h2).hostname | Should -Be 'h2'
    }

    It 'refuses a plan that passed when the workload changed since it was tested, and changes nothing' {
        $plan = Test-Migration -SshConfigFile $sshConfig -JournalPath $journalPath -ComputerName h1 -Name $changed.Name -Destination h2
        $plan.Passed | Should -BeTrue
        $plan.CheckpointMode | Should -Be 'Criu'
        Register-Workload -SshConfigFile $sshConfig -ComputerName h1 -Name $changed.Name -Dataset $changed.Dataset -HealthPort $changed.Port `
            -Command 'python3', "/$($changed.Dataset)/counter.py", '--data-dir', "/$($changed.Dataset)", '--port', "$($changed.Port)" `
            -WorkingDirectory "/$($changed.Dataset)" -CheckpointMode Restart -Force -Confirm:$false -ErrorAction Stop

        $output = $plan | Start-Migration -SshConfigFile $sshConfig -JournalPath $journalPath -Confirm:$false -ErrorVariable refusal -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $refusal.Count | Should -Be 1
        $refusal[0].FullyQualifiedErrorId | Should -Be 'MigrationRefused,MigrationTools.Commands.StartMigrationCommand'
        $refusal[0].TargetObject | Should -Be $plan
        $refusal[0].Exception.Message | Should -BeLike '*changed since its plan was tested (checkpoint mode Criu then, Restart now)*'
        Get-Migration -JournalPath $journalPath -Workload $changed.Name | Should -BeNullOrEmpty
        (Invoke-Lab -HostName h1 -CommandLine "test -e $labManifestDirectory/$($changed.Name).migration").ExitCode | Should -Not -Be 0
    }
}
