#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# -ManifestDirectory and -RuntimeDirectory against the lab (sudo tests/lab/lab.sh up): a workload declared, listed,
# started, stopped and removed in directories of this run's own on h1, never in the default ones, and one moved to h2
# into the same directories there. Each lab host has a network of its own, so the move keeps the source frozen until it
# completes.
# Skipped when the lab does not answer (a failure under CI=true). Needs a built module (dotnet build MigrationTools.sln).

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
}

Describe 'Workloads kept in other directories on the lab' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $sshConfig = Get-LabSshConfigPath
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop

        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $name = "pester-paths-$id"
        $manifestDirectory = "/srv/mt-pester-$id/manifests"
        $runtimeDirectory = "/run/mt-pester-$id"
        $lab = @{ SshConfigFile = $sshConfig; ComputerName = 'h1' }
        $paths = @{ ManifestDirectory = $manifestDirectory; RuntimeDirectory = $runtimeDirectory }

        function Test-OnH1 {
            param([string] $Path)
            & ssh -F $sshConfig @(Get-LabSshOption) h1 "test -e '$Path'" 2>&1 | Out-Null
            $LASTEXITCODE -eq 0
        }
    }

    AfterAll {
        Stop-Workload @lab @paths -Name $name -Timeout 0 -Confirm:$false -ErrorAction SilentlyContinue
        Unregister-Workload @lab @paths -Name $name -Confirm:$false -ErrorAction SilentlyContinue
        & ssh -F $sshConfig @(Get-LabSshOption) h1 "rm -rf '/srv/mt-pester-$id' '$runtimeDirectory'" 2>&1 | Out-Null
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'registers the workload in the given manifest directory only' {
        $workload = Register-Workload @lab @paths -Name $name -Dataset @() -Command 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done' `
            -CheckpointMode Restart -PassThru -Confirm:$false

        $workload.State | Should -Be 'Stopped'
        Test-OnH1 -Path "$manifestDirectory/$name.json" | Should -BeTrue
        Test-OnH1 -Path "/etc/migrationtools/workloads/$name.json" | Should -BeFalse
    }

    It 'is listed from that directory and not from the default one' {
        (Get-Workload @lab @paths -Name $name).Name | Should -Be $name
        Get-Workload @lab -Name $name -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'WorkloadNotFound,*'
    }

    It 'starts with its PID record in the given runtime directory' {
        $workload = Start-Workload @lab @paths -Name $name -PassThru -Confirm:$false

        $workload.State | Should -Be 'Running'
        Test-OnH1 -Path "$runtimeDirectory/$name/pid" | Should -BeTrue
        Test-OnH1 -Path "/run/migrationtools/workloads/$name" | Should -BeFalse
    }

    It 'stops and is removed from the given directory' {
        Stop-Workload @lab @paths -Name $name -Confirm:$false
        (Get-Workload @lab @paths -Name $name).State | Should -Be 'Stopped'

        Unregister-Workload @lab @paths -Name $name -Confirm:$false

        Test-OnH1 -Path "$manifestDirectory/$name.json" | Should -BeFalse
    }

    It 'refuses a relative directory before reaching the host' {
        { Get-Workload @lab -ManifestDirectory 'srv/manifests' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidWorkloadPath,MigrationTools.Commands.GetWorkloadCommand'
    }
}

Describe 'A workload kept in other directories moves between lab hosts' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $sshConfig = Get-LabSshConfigPath
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop

        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $name = "pester-pmove-$id"
        $dataset = "tank/pester-pmove-$id"
        $root = "/srv/mt-pester-$id"
        $paths = @{ ManifestDirectory = "$root/manifests"; RuntimeDirectory = "/run/mt-pester-$id" }
        $journalPath = Join-Path ([System.IO.Path]::GetTempPath()) "mt-pester-journal-$id"
        $lab = @{ SshConfigFile = $sshConfig }

        & ssh -F $sshConfig @(Get-LabSshOption) h1 "zfs create $dataset" 2>&1 | Out-Null
        if ($LASTEXITCODE -ne 0) {
            throw "Could not create $dataset on h1."
        }

        Register-Workload @lab @paths -ComputerName h1 -Name $name -Dataset $dataset -Command 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done' `
            -CheckpointMode Restart -Confirm:$false
        Start-Workload @lab @paths -ComputerName h1 -Name $name -Confirm:$false
    }

    AfterAll {
        foreach ($computer in 'h1', 'h2') {
            Stop-Workload @lab @paths -ComputerName $computer -Name $name -Timeout 0 -Confirm:$false -ErrorAction SilentlyContinue
            Unregister-Workload @lab @paths -ComputerName $computer -Name $name -Confirm:$false -ErrorAction SilentlyContinue
            # zfs-fuse answers "dataset is busy" for a while after a dataset was used.
            & ssh -F $sshConfig @(Get-LabSshOption) $computer "rm -rf '$root' '$($paths.RuntimeDirectory)'; for i in `$(seq 20); do zfs list $dataset >/dev/null 2>&1 || exit 0; zfs destroy -r $dataset 2>/dev/null && exit 0; sleep 0.5; done" 2>&1 | Out-Null
        }

        Remove-Item -Path $journalPath -Recurse -Force -ErrorAction SilentlyContinue
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    It 'runs on the destination, declared in the same directories there' {
        $migration = Move-Workload @lab @paths -JournalPath $journalPath -ComputerName h1 -Name $name -Destination h2 `
            -Complete -Confirm:$false

        $migration.State | Should -Be 'Completed'
        (Get-Workload @lab @paths -ComputerName h2 -Name $name).State | Should -Be 'Running'
        & ssh -F $sshConfig @(Get-LabSshOption) h2 "test -e '$root/manifests/$name.json' && test -e '$($paths.RuntimeDirectory)/$name/pid' && ! test -e '/etc/migrationtools/workloads/$name.json'" 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}
