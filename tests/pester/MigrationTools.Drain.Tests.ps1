#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Draining a host on the lab (tests/lab/lab.sh up, three hosts): counter services of this run's own on h1 moved at once
# with Move-Workload -Destination h2,h3 -ThrottleLimit, each placed on exactly one destination, restored there (the same
# token) and running nowhere else; -WhatIf names each choice; a workload whose policy is Manual is skipped with a
# warning. Every migration is kept in a journal of this run's own. Skipped when the lab does not answer or has no h3
# (a failure under CI=true). Needs a built module. The lab's state directory is $env:MT_LAB_STATE.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
    $threeHosts = $false
    if ($labAnswers) {
        $null = & ssh -F (Get-LabSshConfigPath) -o ConnectTimeout=5 -o BatchMode=yes h3 true 2>&1
        $threeHosts = $LASTEXITCODE -eq 0
        if (-not $threeHosts) {
            if ($env:CI -eq 'true') {
                throw 'CI=true but the drain Pester tests cannot run: the lab has no h3 (bring it up with MT_LAB_HOSTS=3).'
            }

            Write-Host 'Drain Pester tests skipped: the lab has no h3 (bring it up with MT_LAB_HOSTS=3).'
        }
    }
}

Describe 'Draining h1 onto h2 and h3' -Skip:(-not ($labAnswers -and $threeHosts)) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        . (Join-Path $PSScriptRoot 'PowerShellProcess.ps1')
        $sshConfig = Get-LabSshConfigPath
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop
        # Invoke-Lab, New-LabCounter, Wait-LabCounter, Read-LabCounter, Get-LabCounterProcessCount, Remove-LabCounter.
        . (Join-Path $PSScriptRoot 'LabCounter.ps1')

        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $journalPath = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-drain-$id"
        $lab = @{ SshConfigFile = $sshConfig }
        $on = @{ SshConfigFile = $sshConfig; JournalPath = $journalPath }
        $allHosts = 'h1', 'h2', 'h3'

        $services = @(1..3 | ForEach-Object { New-LabCounter -Name "pester-drain-$id-$_" })
        $tokens = @{}
        foreach ($service in $services) {
            $tokens[$service.Name] = (Wait-LabCounter -Service $service -OnHost h1).token
        }

        # Declared only, never started: its policy keeps it where it is unless -Force.
        $manual = "pester-drain-$id-manual"
        Register-Workload @lab -ComputerName h1 -Name $manual -Dataset @() -Command 'true' -MigrationPolicy Manual -Confirm:$false -ErrorAction Stop

        $names = @($services.Name) + $manual

        # Slowed by data and a cap, so that a drain of them is still copying when it is stopped.
        $slow = @(1..2 | ForEach-Object { New-LabCounter -Name "pester-drain-$id-slow$_" })
        foreach ($service in $slow) {
            Add-LabCounterData -Service $service -MiB 48
            $tokens[$service.Name] = (Wait-LabCounter -Service $service -OnHost h1).token
        }

        $stoppedJournalPath = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-drain-stopped-$id"
    }

    AfterAll {
        foreach ($service in @($services) + @($slow) | Where-Object { $_ }) {
            Remove-LabCounter -Service $service -HostName $allHosts
        }

        Unregister-Workload @lab -ComputerName h1 -Name $manual -Confirm:$false -ErrorAction SilentlyContinue
        Remove-Item -Path $journalPath, $stoppedJournalPath -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'with -WhatIf names the destination chosen for each workload and every candidate, and moves nothing' {
        $pwsh = Get-PowerShellCommand
        $list = ($services.Name | ForEach-Object { "'$_'" }) -join ','
        # What-if text goes to the host, so a child PowerShell's standard output is where a test can read it.
        $script = "Import-Module -Name '$manifestPath'; Get-Workload -SshConfigFile '$sshConfig' -ComputerName h1 -Name $list | " +
            "Move-Workload -SshConfigFile '$sshConfig' -JournalPath '$journalPath' -Destination h2,h3 -ThrottleLimit 3 -WhatIf"
        $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)

        $output = @($null | & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" })

        $LASTEXITCODE | Should -Be 0
        $whatIf = @(($output -join ' ') -split '(?=What if: )' | Where-Object { $_ -like 'What if: *' })
        $whatIf.Count | Should -Be 3
        foreach ($line in $whatIf) {
            $line | Should -Match 'Move to (h2|h3):'
            $line | Should -BeLike '*Chosen among 2 destinations: *'
            $line | Should -Match 'h2[^;]*free'
            $line | Should -Match 'h3[^;]*free'
        }

        @(Get-Migration -JournalPath $journalPath).Count | Should -Be 0
        foreach ($service in $services) {
            (Wait-LabCounter -Service $service -OnHost h1).token | Should -Be $tokens[$service.Name]
        }
    }

    It 'moves every workload to exactly one of the destinations, at most three at once, and skips the Manual one' {
        $moved = @(Get-Workload @lab -ComputerName h1 -Name $names |
                Move-Workload @on -Destination h2, h3 -ThrottleLimit 3 -Complete -Confirm:$false -WarningVariable warnings -ErrorAction Stop)

        $moved.Count | Should -Be 3
        ($moved.Workload | Sort-Object) | Should -Be ($services.Name | Sort-Object)
        @($warnings | Where-Object { "$_" -like "*$manual on h1 is skipped*Manual*-Force*" }).Count | Should -Be 1
        @(Get-Migration -JournalPath $journalPath -Workload $manual).Count | Should -Be 0

        foreach ($migration in $moved) {
            $migration | Should -BeOfType [MigrationTools.Migration]
            "$($migration.State)" | Should -Be 'Completed'
            $migration.Source | Should -Be 'h1'
            $migration.Destination | Should -BeIn @('h2', 'h3')
            $migration.DestinationReason | Should -BeLike "$($migration.Destination) (*"
            $migration.DestinationCandidates.Count | Should -Be 2

            $service = $services | Where-Object Name -EQ $migration.Workload
            (Wait-LabCounter -Service $service -OnHost $migration.Destination).token | Should -Be $tokens[$service.Name] -Because 'a live move restores the process, it does not restart it'
            foreach ($other in $allHosts | Where-Object { $_ -ne $migration.Destination }) {
                Read-LabCounter -Service $service -HostName $other | Should -BeNullOrEmpty -Because "$($service.Name) runs on $($migration.Destination) only"
                Get-LabCounterProcessCount -HostName $other -Service $service | Should -Be 0
            }

            Get-LabCounterProcessCount -HostName $migration.Destination -Service $service | Should -Be 1
        }

        # Equal pools: the chooser counts what it placed, so the three do not all land on one destination.
        # The reasons and candidates name each destination's free space, so a failure here shows the pools that were not equal.
        @($moved.Destination | Sort-Object -Unique).Count | Should -Be 2 -Because (
            'the chooser takes equal destinations in turn; it said: ' + (($moved | ForEach-Object { "$($_.Workload): $($_.DestinationReason) among $($_.DestinationCandidates -join ', ')" }) -join '; '))

        # They ran at once: at least two migrations' lifetimes overlap.
        $overlapping = @(foreach ($a in $moved) {
                foreach ($b in $moved | Where-Object Id -NE $a.Id) {
                    if ($a.StartTime -lt $b.EndTime -and $b.StartTime -lt $a.EndTime) { $a.Id }
                }
            }) | Sort-Object -Unique
        $overlapping.Count | Should -BeGreaterOrEqual 2
    }

    It 'stopped (Ctrl+C), ends every running migration where Move-Workload run again continues it' {
        $list = ($slow.Name | ForEach-Object { "'$_'" }) -join ','
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module -Name '$manifestPath'; Get-Workload -SshConfigFile '$sshConfig' -ComputerName h1 -Name $list | " +
            "Move-Workload -SshConfigFile '$sshConfig' -JournalPath '$stoppedJournalPath' -Destination h2,h3 -ThrottleLimit 2 -BandwidthLimit 4M -Confirm:`$false")
        $running = $ps.BeginInvoke()
        try {
            # Both begun (recorded) and still copying.
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (@(Get-Migration -JournalPath $stoppedJournalPath -ErrorAction SilentlyContinue | Where-Object ActivePhase).Count -lt 2) {
                if ([datetime]::UtcNow -gt $deadline -or $running.IsCompleted) {
                    throw "The drain never had two migrations running (state $($ps.InvocationStateInfo.State): $($ps.Streams.Error -join '; '))."
                }

                Start-Sleep -Milliseconds 200
            }

            # One view: the drain's bar, and the running migrations' bars under it.
            $progress = @($ps.Streams.Progress)
            $parent = @($progress | Where-Object { $_.ParentActivityId -eq -1 -and $_.Activity -eq 'Draining h1' })
            $parent.Count | Should -BeGreaterThan 0
            $parent[-1].StatusDescription | Should -BeLike 'done 0, running *, waiting * · * of *'
            @($progress | Where-Object ParentActivityId -EQ $parent[0].ActivityId | Select-Object -ExpandProperty ActivityId -Unique).Count | Should -Be 2

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
            "$($ps.InvocationStateInfo.State)" | Should -Be 'Stopped'
        }
        finally {
            $ps.Dispose()
        }

        $stopped = @(Get-Migration -JournalPath $stoppedJournalPath)
        $stopped.Count | Should -Be 2
        foreach ($migration in $stopped) {
            "$($migration.State)" | Should -Not -Be 'Failed'
            $service = $slow | Where-Object Name -EQ $migration.Workload
            # Still running on h1 only, the same process.
            $answers = @($allHosts | Where-Object { $null -ne (Read-LabCounter -Service $service -HostName $_) })
            $answers | Should -Be @('h1')
            (Wait-LabCounter -Service $service -OnHost h1).token | Should -Be $tokens[$service.Name]
        }

        # Each continues from where it stands, to the destination it was given.
        $moved = @($stopped | Move-Workload @on -JournalPath $stoppedJournalPath -Complete -Confirm:$false -ErrorAction Stop)

        $moved.Count | Should -Be 2
        foreach ($migration in $moved) {
            "$($migration.State)" | Should -Be 'Completed'
            $migration.Id | Should -BeIn $stopped.Id
            $service = $slow | Where-Object Name -EQ $migration.Workload
            (Wait-LabCounter -Service $service -OnHost $migration.Destination).token | Should -Be $tokens[$service.Name]
        }
    }
}
