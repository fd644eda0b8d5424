#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The migration cmdlets against the lab (sudo tests/lab/lab.sh up): counter services of this run's own on h1, tested,
# moved to h2 through the pipeline and phase by phase, undone, aborted and completed, with -WhatIf, and the error
# identifiers. Every migration is kept in a journal of this run's own. Each lab host has a network of its own, so no
# migration needs -ReleaseSourceBeforeRestore. Skipped when the lab does not answer (a failure under CI=true). Needs a built module
# (dotnet build MigrationTools.sln). The lab's state directory is $env:MT_LAB_STATE (default /var/lib/migrationtools-lab).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
}

Describe 'The migration cmdlets on the lab' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $sshConfig = Get-LabSshConfigPath
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop

        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $journalPath = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-journal-$id"
        # Invoke-Lab, New-LabCounter, Wait-LabCounter, Get-LabWorkloadState, Remove-LabCounter; $labManifestDirectory.
        . (Join-Path $PSScriptRoot 'LabCounter.ps1')

        # The workload cmdlets reach the lab through its ssh_config; the migration cmdlets also keep this run's journal.
        $lab = @{ SshConfigFile = $sshConfig }
        $on = @{ SshConfigFile = $sshConfig; JournalPath = $journalPath }
        # Get-Migration reads only the journal: it takes no connection parameters.
        $journal = @{ JournalPath = $journalPath }

        function Test-Claim {
            param($Service)
            (Invoke-Lab -HostName h1 -CommandLine "test -e $labManifestDirectory/$($Service.Name).migration").ExitCode -eq 0
        }

        function Get-DatasetProperty {
            param([string] $HostName, $Service, [string] $Property)
            (Invoke-Lab -HostName $HostName -CommandLine "zfs get -H -o value $Property $($Service.Dataset)").Output
        }

        function Test-Dataset {
            param([string] $HostName, $Service)
            (Invoke-Lab -HostName $HostName -CommandLine "zfs list -H -o name $($Service.Dataset)").ExitCode -eq 0
        }

        function Get-Snapshots {
            param([string] $HostName, $Service)
            @((Invoke-Lab -HostName $HostName -CommandLine "zfs list -H -o name -t snapshot -r $($Service.Dataset) 2>/dev/null || true").Output -split "`n" |
                Where-Object { $_ })
        }

        $counter = New-LabCounter -Name "pester-mig-$id"
        # Healthy only on h1: its restore on h2 works, its health check there fails, so its switch is rolled back.
        $unhealthy = New-LabCounter -Name "pester-mig-$id-rb" -HealthCommand 'sh', '-c', 'test "$(hostname)" = h1'
        $token = (Wait-LabCounter -Service $counter -OnHost h1).token
    }

    AfterAll {
        foreach ($service in @($counter, $unhealthy) | Where-Object { $_ }) {
            Remove-LabCounter -Service $service
        }

        Remove-Item -Path $journalPath -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    Context 'Test-Migration' {
        It 'passes every check for a workload piped from Get-Workload and estimates its size' {
            $plan = Get-Workload @lab -ComputerName h1 -Name $counter.Name | Test-Migration @on -Destination h2

            $plan | Should -BeOfType [MigrationTools.MigrationPlan]
            ($plan.Checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Name): $($_.Message)" }) | Should -BeNullOrEmpty
            $plan.Passed | Should -BeTrue
            $plan.Workload | Should -Be $counter.Name
            $plan.Source | Should -Be 'h1'
            $plan.Destination | Should -Be 'h2'
            $plan.CheckpointMode | Should -Be 'Criu'
            $plan.Checks.Name | Should -Contain 'DistinctHosts'
            $plan.Checks.Name | Should -Contain 'NotInMigration'
            $plan.Datasets.Source | Should -Be $counter.Dataset
            $plan.EstimatedBytes | Should -BeGreaterThan 0
            $plan.ReleaseSourceBeforeRestore | Should -BeFalse
        }

        It 'writes a manifest that reads back with the same values' {
            $plan = Test-Migration @on -ComputerName h1 -Name $counter.Name -Destination h2 -Compression Auto -BandwidthLimit 50M

            $json = $plan | ConvertTo-Json -WarningVariable depthWarnings
            $manifest = $json | ConvertFrom-Json

            $depthWarnings.Count | Should -Be 0
            $manifest.Workload | Should -Be $counter.Name
            $manifest.Source | Should -Be 'h1'
            $manifest.Destination | Should -Be 'h2'
            $manifest.Passed | Should -BeTrue
            $manifest.CheckpointMode | Should -Be 'Criu'
            $manifest.Compression | Should -Be 'Auto'
            $manifest.BandwidthLimit | Should -Be '50M'
            $manifest.Checks.Count | Should -Be $plan.Checks.Count
            $manifest.Datasets[0].Source | Should -Be $counter.Dataset
        }

        It 'fails DistinctHosts for a destination that is the source, and changes nothing' {
            $plan = Test-Migration @on -ComputerName h1 -Name $counter.Name -Destination h1

            $plan.Passed | Should -BeFalse
            ($plan.Checks | Where-Object { -not $_.Passed }).Name | Should -Be 'DistinctHosts'
            Test-Claim -Service $counter | Should -BeFalse
            Get-Snapshots -HostName h1 -Service $counter | Should -BeNullOrEmpty
            @(Get-Migration @journal).Count | Should -Be 0
        }
    }

    Context 'Each phase by hand' {
        It 'Start-Migration -WhatIf changes nothing' {
            Get-Workload @lab -ComputerName h1 -Name $counter.Name | Start-Migration @on -Destination h2 -WhatIf

            @(Get-Migration @journal).Count | Should -Be 0
            Test-Claim -Service $counter | Should -BeFalse
            Test-Dataset -HostName h2 -Service $counter | Should -BeFalse
        }

        It 'Start-Migration begins a migration of a workload piped from Get-Workload' {
            $script:phased = Get-Workload @lab -ComputerName h1 -Name $counter.Name |
                Start-Migration @on -Destination h2 -Confirm:$false

            $phased | Should -BeOfType [MigrationTools.Migration]
            $phased.Id | Should -Match '^m-[0-9a-f]{12}$'
            "$($phased.State)" | Should -Be 'Begun'
            $phased.Workload | Should -Be $counter.Name
            $phased.JournalPath | Should -Be $journalPath
            $phased.BytesTransferred | Should -BeGreaterThan 0
            Test-Claim -Service $counter | Should -BeTrue
            (Invoke-Lab -HostName h1 -CommandLine "cat $labManifestDirectory/$($counter.Name).migration").Output | Should -Be $phased.Id
            Get-DatasetProperty -HostName h1 -Service $counter -Property 'migrationtools:migration' | Should -Be $phased.Id
            Test-Dataset -HostName h2 -Service $counter | Should -BeTrue
            (Wait-LabCounter -Service $counter).hostname | Should -Be 'h1'
        }

        It 'refuses a second migration of the workload as MigrationRefused' {
            Start-Migration @on -ComputerName h1 -Name $counter.Name -Destination h3 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable startErrors

            $startErrors.FullyQualifiedErrorId | Should -Be 'MigrationRefused,MigrationTools.Commands.StartMigrationCommand'
            "$($startErrors[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
            $startErrors[0].Exception.Message | Should -BeLike "*$($phased.Id)*"
            @(Get-Migration @journal).Count | Should -Be 1
        }

        It 'Sync-Migration runs a round for a migration piped from Get-Migration, which also gives it the journal' {
            $synced = Get-Migration @journal -Id $phased.Id | Sync-Migration @lab -Confirm:$false

            "$($synced.State)" | Should -Be 'Synced'
            $synced.SyncCount | Should -Be 1
            $synced.History.Phase | ForEach-Object { "$_" } | Should -Be @('Begin', 'Sync')
        }

        It 'Switch-Migration -WhatIf changes nothing' {
            Get-Migration @journal -State Synced -Workload $counter.Name | Switch-Migration @lab -WhatIf

            "$((Get-Migration @journal -Id $phased.Id).State)" | Should -Be 'Synced'
            (Wait-LabCounter -Service $counter).hostname | Should -Be 'h1'
        }

        It 'Switch-Migration moves the live workload to h2 for every synced migration piped in' {
            $switched = Get-Migration @journal -State Synced -Workload $counter.Name | Switch-Migration @lab -Confirm:$false

            "$($switched.State)" | Should -Be 'Switched'
            "$($switched.Owner)" | Should -Be 'Destination'
            $switched.Downtime | Should -BeGreaterThan ([timespan]::Zero)
            $switched.DowntimeParts.Restore | Should -Not -BeNullOrEmpty
            $moved = Wait-LabCounter -Service $counter -OnHost h2
            $moved.token | Should -Be $token
            Get-LabWorkloadState -HostName h2 -Service $counter | Should -Be 'Running'
            # Not released before the restore (each host has a network of its own): the source stays frozen until Complete.
            Get-LabWorkloadState -HostName h1 -Service $counter | Should -Be 'Frozen'
        }

        It 'Undo-Migration -WhatIf changes nothing' {
            $phased | Undo-Migration @lab -WhatIf

            "$((Get-Migration @journal -Id $phased.Id).State)" | Should -Be 'Switched'
            (Wait-LabCounter -Service $counter).hostname | Should -Be 'h2'
        }

        It 'Undo-Migration returns the workload to h1, restored from its checkpoint' {
            $undone = $phased | Undo-Migration @lab -Confirm:$false

            "$($undone.State)" | Should -Be 'RolledBack'
            $undone.EndTime | Should -Not -BeNullOrEmpty
            $back = Wait-LabCounter -Service $counter -OnHost h1
            $back.token | Should -Be $token
            Test-Dataset -HostName h2 -Service $counter | Should -BeFalse
            Test-Claim -Service $counter | Should -BeFalse
            Get-Snapshots -HostName h1 -Service $counter | Should -BeNullOrEmpty
        }

        It 'refuses a phase for a migration that is over as MigrationRefused, with the migration as target' {
            Sync-Migration @on -Id $phased.Id -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable syncErrors

            $syncErrors.FullyQualifiedErrorId | Should -Be 'MigrationRefused,MigrationTools.Commands.SyncMigrationCommand'
            $syncErrors[0].TargetObject.Id | Should -Be $phased.Id
        }

        It 'Stop-Migration aborts a migration before its switch and leaves the workload running on h1' {
            $begun = Start-Migration @on -ComputerName h1 -Name $counter.Name -Destination h2 -Confirm:$false

            $aborted = $begun | Stop-Migration @lab -Confirm:$false

            "$($aborted.State)" | Should -Be 'Aborted'
            Test-Dataset -HostName h2 -Service $counter | Should -BeFalse
            Test-Claim -Service $counter | Should -BeFalse
            Get-DatasetProperty -HostName h1 -Service $counter -Property 'migrationtools:migration' | Should -Be '-'
            (Wait-LabCounter -Service $counter -OnHost h1).token | Should -Be $token
        }
    }

    Context 'Move-Workload and Complete-Migration' {
        It 'Move-Workload -WhatIf changes nothing' {
            $before = @(Get-Migration @journal).Count

            Get-Workload @lab -ComputerName h1 -Name $counter.Name | Move-Workload @on -Destination h2 -WhatIf

            @(Get-Migration @journal).Count | Should -Be $before
            Test-Claim -Service $counter | Should -BeFalse
        }

        It 'moves a workload piped from Get-Workload, converging, and reports each step' {
            $stream = Get-Workload @lab -ComputerName h1 -Name $counter.Name |
                Move-Workload @on -Destination h2 -MaxSyncRounds 2 -Confirm:$false -Verbose 4>&1
            $script:moved = $stream | Where-Object { $_ -is [MigrationTools.Migration] }
            $verbose = ($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message

            "$($moved.State)" | Should -Be 'Switched'
            $moved.SyncCount | Should -BeIn 1, 2
            "$($moved.History[0].Phase)" | Should -Be 'Begin'
            "$($moved.History[-1].Phase)" | Should -Be 'Switch'
            $verbose | Should -Contain "$($moved.Id) Switch: Restoring $($counter.Name) on h2"
            ($verbose | Where-Object { $_ -like "$($moved.Id) Sync: Sync round 1 sent *" }) | Should -Not -BeNullOrEmpty
            (Wait-LabCounter -Service $counter -OnHost h2).token | Should -Be $token
        }

        It 'Complete-Migration -WhatIf changes nothing' {
            Get-Migration @journal -Workload $counter.Name -State Switched | Complete-Migration @lab -WhatIf

            "$((Get-Migration @journal -Id $moved.Id).State)" | Should -Be 'Switched'
            Test-Dataset -HostName h1 -Service $counter | Should -BeTrue
        }

        It 'Complete-Migration keeps the workload on h2 and destroys its datasets on h1' {
            $completed = Get-Migration @journal -Workload $counter.Name -State Switched | Complete-Migration @lab -Confirm:$false

            "$($completed.State)" | Should -Be 'Completed'
            Test-Dataset -HostName h1 -Service $counter | Should -BeFalse
            Test-Claim -Service $counter | Should -BeFalse
            Get-Workload @lab -ComputerName h1 -Name $counter.Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-Snapshots -HostName h2 -Service $counter | Should -BeNullOrEmpty
            (Wait-LabCounter -Service $counter -OnHost h2).token | Should -Be $token
        }

        It 'lists the journal with every migration of the run, oldest first' {
            $migrations = Get-Migration @journal -Workload "pester-mig-$id"

            $migrations.State | ForEach-Object { "$_" } | Should -Be @('RolledBack', 'Aborted', 'Completed')
            ($migrations | Format-Table | Out-String) | Should -Match 'h1 -> h2'
        }
    }

    Context 'A switch that fails' {
        It 'is rolled back by itself and reported as MigrationRolledBack with the migration as target' {
            Move-Workload @on -ComputerName h1 -Name $unhealthy.Name -Destination h2 -MaxSyncRounds 1 -Confirm:$false `
                -ErrorAction SilentlyContinue -ErrorVariable moveErrors

            $moveErrors.FullyQualifiedErrorId | Should -Be 'MigrationRolledBack,MigrationTools.Commands.MoveWorkloadCommand'
            $migration = $moveErrors[0].TargetObject
            $migration | Should -BeOfType [MigrationTools.Migration]
            "$($migration.State)" | Should -Be 'Synced'
            "$($migration.Owner)" | Should -Be 'Source'
            $migration.LastError | Should -BeLike '*did not become healthy on h2*'
            (Wait-LabCounter -Service $unhealthy -OnHost h1).hostname | Should -Be 'h1'
            Get-LabWorkloadState -HostName h2 -Service $unhealthy | Should -Not -Be 'Running'
            $script:rolledBack = $migration
        }

        It 'can be aborted from the error it left' {
            $aborted = $rolledBack | Stop-Migration @lab -Confirm:$false

            "$($aborted.State)" | Should -Be 'Aborted'
            Test-Dataset -HostName h2 -Service $unhealthy | Should -BeFalse
            Test-Claim -Service $unhealthy | Should -BeFalse
        }
    }
}
