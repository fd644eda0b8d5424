#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The migration cmdlets with -AsJob: the job they write at once (a MigrationJob in the session's job repository), its
# streams, and Stop-Job. Without hosts: the job, its errors and what is decided before it starts. On the lab (sudo
# tests/lab/lab.sh up): counter services of this run's own moved, stopped mid-sync and mid-switch; skipped when the lab
# does not answer. Each lab host has a network of its own, so no migration needs -ReleaseSourceBeforeRestore. Needs a
# built module (dotnet build MigrationTools.sln). The lab's state directory is
# $env:MT_LAB_STATE (default /var/lib/migrationtools-lab).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
}

Describe 'The migration cmdlets with -AsJob, without hosts' {
    BeforeAll {
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop
        $journalPath = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-jobs-$([guid]::NewGuid().ToString('N').Substring(0, 10))"
        # Reserved for documentation (RFC 2606): it never resolves, so the connection fails at once.
        $noHost = 'nohost.invalid'
    }

    AfterAll {
        Get-Job | Where-Object PSJobTypeName -EQ 'MigrationJob' | Remove-Job -Force
        Remove-Item -Path $journalPath -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'Move-Workload -AsJob writes a MigrationJob that Get-Job lists, named for its workload, hosts and command' {
        $job = Move-Workload -ComputerName $noHost -Name web -Destination h2 -JournalPath $journalPath -AsJob -ErrorVariable direct

        $job | Should -BeOfType ([MigrationTools.MigrationJob])
        $job.PSJobTypeName | Should -Be 'MigrationJob'
        (Get-Job -Id $job.Id).InstanceId | Should -Be $job.InstanceId
        $job.Name | Should -Be 'Move-Workload web'
        $job.Location | Should -Be "$noHost -> h2"
        $job.Command | Should -BeLike "Move-Workload *-ComputerName $noHost *-Destination h2 *-Name web*"
        $job.Command | Should -BeLike '*-Confirm:$false*'
        $job.Command | Should -Not -BeLike '*AsJob*'
        $direct | Should -BeNullOrEmpty
        $null = Wait-Job -Job $job -Timeout 60
        Remove-Job -Job $job
        Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'keeps an input''s error in the job''s Error stream, under the identifier the command gives it in the foreground' {
        Move-Workload -ComputerName $noHost -Name web -Destination h2 -JournalPath $journalPath -ErrorVariable foreground -ErrorAction SilentlyContinue
        $job = Move-Workload -ComputerName $noHost -Name web -Destination h2 -JournalPath $journalPath -AsJob

        $null = Wait-Job -Job $job -Timeout 60
        $job.State | Should -Be 'Failed'
        $job.Error.Count | Should -Be 1
        $job.Error[0] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
        $job.Error[0].FullyQualifiedErrorId | Should -Be $foreground[0].FullyQualifiedErrorId
        $job.Error[0].FullyQualifiedErrorId | Should -Be 'MigrationRefused,MigrationTools.Commands.MoveWorkloadCommand'
        $job.Error[0].TargetObject | Should -Be "web on $noHost"
        $received = Receive-Job -Job $job -ErrorVariable jobErrors -ErrorAction SilentlyContinue
        $received | Should -BeNullOrEmpty
        $jobErrors[0].FullyQualifiedErrorId | Should -Be $foreground[0].FullyQualifiedErrorId
        $job.HasMoreData | Should -BeFalse
        Remove-Job -Job $job
    }

    It 'refuses a failed plan piped in with MigrationPlanFailed, the plan as target and its failed checks named' {
        $plan = Test-Migration -ComputerName $noHost -Name web -Destination $noHost -JournalPath $journalPath
        $plan.Passed | Should -BeFalse

        $job = $plan | Move-Workload -JournalPath $journalPath -AsJob
        $null = Wait-Job -Job $job -Timeout 60

        $job.State | Should -Be 'Failed'
        $job.Error[0].FullyQualifiedErrorId | Should -Be 'MigrationPlanFailed,MigrationTools.Commands.MoveWorkloadCommand'
        $job.Error[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $job.Error[0].TargetObject | Should -Be $plan
        $job.Error[0].Exception.Message | Should -BeLike '*DistinctHosts*'
        Remove-Job -Job $job
    }

    It 'confirms before the job starts: -WhatIf writes what it would do and starts no job' {
        $before = @(Get-Job).Count

        $output = Start-Migration -ComputerName $noHost -Name web -Destination h2 -JournalPath $journalPath -AsJob -WhatIf

        $output | Should -BeNullOrEmpty
        @(Get-Job).Count | Should -Be $before
    }

    It 'reports a migration the journal lacks at once, without a job, since there is nothing to confirm' {
        $before = @(Get-Job).Count

        $output = Sync-Migration -Id m-0123456789ab -JournalPath $journalPath -AsJob -ErrorVariable notFound -ErrorAction SilentlyContinue

        $output | Should -BeNullOrEmpty
        $notFound[0].FullyQualifiedErrorId | Should -Be 'MigrationNotFound,MigrationTools.Commands.SyncMigrationCommand'
        @(Get-Job).Count | Should -Be $before
    }

    It 'runs every input piped in with one job, one after another' {
        $inputs = 'web', 'db' | ForEach-Object { [pscustomobject]@{ ComputerName = $noHost; Name = $_; Destination = 'h2' } }

        $jobs = @($inputs | Start-Migration -JournalPath $journalPath -AsJob)

        $jobs.Count | Should -Be 1
        $jobs[0].Name | Should -Be 'Start-Migration web, db'
        $null = Wait-Job -Job $jobs[0] -Timeout 60
        $jobs[0].Error.TargetObject | Should -Be "web on $noHost", "db on $noHost"
        Remove-Job -Job $jobs[0]
    }
}

Describe 'The migration cmdlets with -AsJob on the lab' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $sshConfig = Get-LabSshConfigPath
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop
        . (Join-Path $PSScriptRoot 'LabCounter.ps1')

        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $journalPath = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-jobs-$id"
        $on = @{ SshConfigFile = $sshConfig; JournalPath = $journalPath }

        # Waits until the migration of a service is in the given state and phase, or the job ends first.
        function Wait-Migration {
            param($Service, $Job, [string] $State, [string] $ActivePhase)
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ([datetime]::UtcNow -lt $deadline -and $Job.State -eq 'Running') {
                $migration = Get-Migration -JournalPath $journalPath -Workload $Service.Name | Select-Object -Last 1
                if ($migration -and "$($migration.State)" -eq $State -and "$($migration.ActivePhase)" -eq $ActivePhase) {
                    return $migration
                }

                Start-Sleep -Milliseconds 100
            }

            throw "The migration of $($Service.Name) was not $State ($ActivePhase) while the job ran; the job is $($Job.State)."
        }

        $moved = New-LabCounter -Name "pester-job-$id"
        $syncStopped = New-LabCounter -Name "pester-job-$id-sy"
        $switchStopped = New-LabCounter -Name "pester-job-$id-sw"
    }

    AfterAll {
        Get-Job | Where-Object PSJobTypeName -EQ 'MigrationJob' | Remove-Job -Force
        foreach ($service in @($moved, $syncStopped, $switchStopped) | Where-Object { $_ }) {
            Remove-LabCounter -Service $service
        }

        Remove-Item -Path $journalPath -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'moves a counter with Move-Workload -AsJob: Receive-Job gives the Migration, the job kept its progress' {
        $token = (Wait-LabCounter -Service $moved -OnHost h1).token
        $started = [datetime]::UtcNow

        $job = Move-Workload @on -ComputerName h1 -Name $moved.Name -Destination h2 -AsJob -Verbose

        ([datetime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 5
        $job.State | Should -BeIn 'NotStarted', 'Running'
        $job.Location | Should -Be 'h1 -> h2'
        $null = Wait-Job -Job $job -Timeout 180
        $job.State | Should -Be 'Completed'
        $job.Progress.Count | Should -BeGreaterThan 0
        $job.Progress[-1].RecordType | Should -Be 'Completed'
        $job.Verbose.Count | Should -BeGreaterThan 0
        $migration = Receive-Job -Job $job -ErrorAction Stop
        $migration | Should -BeOfType ([MigrationTools.Migration])
        "$($migration.State)" | Should -Be 'Switched'
        $migration.Destination | Should -Be 'h2'
        $state = Wait-LabCounter -Service $moved -OnHost h2
        $state.token | Should -Be $token
    }

    It 'completes the moved counter with Complete-Migration -AsJob, the Migration piped in' {
        $migration = Get-Migration -JournalPath $journalPath -Workload $moved.Name -State Switched

        $job = $migration | Complete-Migration -SshConfigFile $sshConfig -AsJob -Confirm:$false
        $null = Wait-Job -Job $job -Timeout 120

        $job.State | Should -Be 'Completed'
        $job.Name | Should -Be "Complete-Migration $($moved.Name)"
        "$((Receive-Job -Job $job).State)" | Should -Be 'Completed'
        Get-LabWorkloadState -HostName h2 -Service $moved | Should -Be 'Running'
        Get-LabCounterProcessCount -HostName h1 -Service $moved | Should -Be 0
    }

    It 'Stop-Job during a sync ends the job Stopped and leaves the counter running on h1 alone, its migration as before' {
        # A capped rate and data to copy make the sync last long enough to be stopped while it sends.
        $begun = Start-Migration @on -ComputerName h1 -Name $syncStopped.Name -Destination h2 -BandwidthLimit 4M -ErrorAction Stop
        Add-LabCounterData -Service $syncStopped -MiB 40
        $token = (Wait-LabCounter -Service $syncStopped -OnHost h1).token

        $job = $begun | Sync-Migration -AsJob -SshConfigFile $sshConfig
        $null = Wait-Migration -Service $syncStopped -Job $job -State Begun -ActivePhase Sync
        Start-Sleep -Seconds 2
        Stop-Job -Job $job

        $job.State | Should -Be 'Stopped'
        $migration = Get-Migration -JournalPath $journalPath -Id $begun.Id
        "$($migration.State)" | Should -Be 'Begun'
        $migration.ActivePhase | Should -BeNullOrEmpty
        $migration.LastError | Should -BeLike '*cancelled*'
        $job.Warning.Message | Should -BeLike '*cancelled*'
        (Wait-LabCounter -Service $syncStopped -OnHost h1).token | Should -Be $token
        Get-LabCounterProcessCount -HostName h1 -Service $syncStopped | Should -BeGreaterThan 0
        Get-LabCounterProcessCount -HostName h2 -Service $syncStopped | Should -Be 0
        Get-LabWorkloadState -HostName h1 -Service $syncStopped | Should -Be 'Running'
    }

    It 'Stop-Job during a switch rolls it back: the job ends Stopped, the counter runs on h1 alone, restored, the migration Synced' {
        $synced = Start-Migration @on -ComputerName h1 -Name $switchStopped.Name -Destination h2 -BandwidthLimit 4M -ErrorAction Stop |
            Sync-Migration -SshConfigFile $sshConfig -ErrorAction Stop
        # New data at a capped rate make the switch's final round last long enough to be stopped within the switch.
        Add-LabCounterData -Service $switchStopped -MiB 32
        $token = (Wait-LabCounter -Service $switchStopped -OnHost h1).token

        $job = $synced | Switch-Migration -SshConfigFile $sshConfig -AsJob
        $switching = Wait-Migration -Service $switchStopped -Job $job -State Switching -ActivePhase Switch
        Start-Sleep -Seconds 2
        Stop-Job -Job $job

        $job.State | Should -Be 'Stopped'
        $migration = Get-Migration -JournalPath $journalPath -Id $switching.Id
        "$($migration.State)" | Should -Be 'Synced'
        $migration.ActivePhase | Should -BeNullOrEmpty
        $job.Warning.Message | Should -BeLike "*$($switching.Id)*"
        (Wait-LabCounter -Service $switchStopped -OnHost h1).token | Should -Be $token
        Get-LabCounterProcessCount -HostName h1 -Service $switchStopped | Should -BeGreaterThan 0
        Get-LabCounterProcessCount -HostName h2 -Service $switchStopped | Should -Be 0
        Get-LabWorkloadState -HostName h1 -Service $switchStopped | Should -Be 'Running'
        Get-LabWorkloadState -HostName h2 -Service $switchStopped | Should -Not -Be 'Running'
    }
}
