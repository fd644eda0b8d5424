#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The workload cmdlets against the lab (sudo tests/lab/lab.sh up): registering, listing, starting, stopping and
# unregistering a workload of its own on h1, through the pipeline, with -WhatIf, and the error identifiers.
# Skipped when the lab does not answer (a failure under CI=true). Needs a built module (dotnet build MigrationTools.sln).
# The lab's state directory is $env:MT_LAB_STATE (default /var/lib/migrationtools-lab); its ssh_config names h1..hN.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Lab.ps1')
    $labAnswers = Test-LabAnswers
}

Describe 'The workload cmdlets on the lab' -Skip:(-not $labAnswers) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Lab.ps1')
        $sshConfig = Get-LabSshConfigPath
        $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
        Import-Module -Name $manifestPath -Force -ErrorAction Stop

        # Every call reaches the lab through its own ssh_config.
        $lab = @{ SshConfigFile = $sshConfig }

        # A workload, dataset and manifest of this run's own, so that nothing else on the lab is touched.
        $id = [guid]::NewGuid().ToString('N').Substring(0, 10)
        $name = "pester-$id"
        $brokenName = "pester-$id-broken"
        $dataset = "tank/pester-$id"
        $manifestDirectory = '/etc/migrationtools/workloads'
        $definition = @{
            ComputerName     = 'h1'
            Name             = $name
            Dataset          = $dataset
            # Handles SIGTERM, so a stop with a grace period ends it without SIGKILL.
            Command          = 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 0.2; done'
            WorkingDirectory = "/$dataset"
            Environment      = @{ SECRET_TOKEN = 'pester-secret-value'; PORT = 8080 }
            CheckpointMode   = 'Restart'
            MigrationPolicy  = 'Manual'
            HealthCommand    = 'true'
        }

        function Invoke-Lab {
            param([string] $HostName, [string] $CommandLine)
            $output = & ssh -F $sshConfig @(Get-LabSshOption) $HostName $CommandLine 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
        }

        function Test-LabManifest {
            param([string] $WorkloadName)
            (Invoke-Lab -HostName h1 -CommandLine "test -e '$manifestDirectory/$WorkloadName.json'").ExitCode -eq 0
        }

        function Get-OwnWorkload {
            Get-Workload @lab -ComputerName h1 -Name $name -ErrorAction SilentlyContinue
        }

        $created = Invoke-Lab -HostName h1 -CommandLine "zfs create $dataset"
        if ($created.ExitCode -ne 0) {
            throw "Could not create $dataset on h1: $($created.Output)"
        }
    }

    AfterAll {
        Stop-Workload @lab -ComputerName h1 -Name $name -Timeout 0 -Confirm:$false -ErrorAction SilentlyContinue
        Unregister-Workload @lab -ComputerName h1 -Name $name -Confirm:$false -ErrorAction SilentlyContinue
        Invoke-Lab -HostName h1 -CommandLine "rm -f $manifestDirectory/$brokenName.json" | Out-Null
        # zfs-fuse answers "dataset is busy" for a while after a dataset was used.
        Invoke-Lab -HostName h1 -CommandLine "for i in `$(seq 20); do zfs list $dataset >/dev/null 2>&1 || exit 0; zfs destroy -r $dataset 2>/dev/null && exit 0; sleep 0.5; done" | Out-Null
        Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
    }

    Context 'Register-Workload' {
        It 'changes nothing with -WhatIf' {
            Register-Workload @lab @definition -WhatIf

            Test-LabManifest -WorkloadName $name | Should -BeFalse
            Get-OwnWorkload | Should -BeNullOrEmpty
        }

        It 'writes the manifest and returns the workload with -PassThru' {
            $workload = Register-Workload @lab @definition -PassThru -Confirm:$false

            Test-LabManifest -WorkloadName $name | Should -BeTrue
            $workload.GetType().FullName | Should -Be 'MigrationTools.Workload'
            $workload.ComputerName | Should -Be 'h1'
            $workload.Name | Should -Be $name
            "$($workload.State)" | Should -Be 'Stopped'
            $workload.ProcessId | Should -BeNullOrEmpty
            $workload.Datasets -join ',' | Should -Be $dataset
            $workload.MissingDatasets.Count | Should -Be 0
            "$($workload.CheckpointMode)" | Should -Be 'Restart'
            "$($workload.MigrationPolicy)" | Should -Be 'Manual'
            $workload.Command -join '|' | Should -Be 'sh|-c|trap "exit 0" TERM; while :; do sleep 0.2; done'
            $workload.WorkingDirectory | Should -Be "/$dataset"
            $workload.Environment['PORT'] | Should -Be '8080'
            "$($workload.HealthCheck.Kind)" | Should -Be 'Command'
            $workload.ManifestPath | Should -Be "$manifestDirectory/$name.json"
        }

        It 'refuses to replace a registered workload without -Force' {
            $changed = $definition.Clone()
            $changed.MigrationPolicy = 'Allowed'

            Register-Workload @lab @changed -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable registerErrors

            $registerErrors.FullyQualifiedErrorId | Should -Be 'WorkloadAlreadyRegistered,MigrationTools.Commands.RegisterWorkloadCommand'
            "$($registerErrors[0].CategoryInfo.Category)" | Should -Be 'ResourceExists'
            "$((Get-OwnWorkload).MigrationPolicy)" | Should -Be 'Manual'
        }

        It 'replaces it with -Force' {
            $changed = $definition.Clone()
            $changed.MigrationPolicy = 'Allowed'

            Register-Workload @lab @changed -Force -Confirm:$false

            "$((Get-OwnWorkload).MigrationPolicy)" | Should -Be 'Allowed'
        }

        It 'registers service addresses that Get-Workload reads back in canonical form' {
            $addressed = "$name-addr"
            try {
                # Addresses of the lab's own range (10.0.91.200-239); registering them changes no interface.
                Register-Workload @lab -ComputerName h1 -Name $addressed -Dataset @() -Command 'true' -CheckpointMode Restart `
                    -ServiceAddress '10.0.91.200/24@eth0', 'FD00:0:0::91/64@eth0' -Confirm:$false

                $workload = Get-Workload @lab -ComputerName h1 -Name $addressed
                $workload.ServiceAddresses | Should -Be @('10.0.91.200/24@eth0', 'fd00::91/64@eth0')
                $manifest = (Invoke-Lab -HostName h1 -CommandLine "cat '$manifestDirectory/$addressed.json'").Output | ConvertFrom-Json
                # (An array's own Address method would hide the property from member enumeration.)
                @($manifest.serviceAddresses | ForEach-Object { $_.address }) | Should -Be @('10.0.91.200/24', 'fd00::91/64')
                @($manifest.serviceAddresses | ForEach-Object { $_.interface }) | Should -Be @('eth0', 'eth0')
                ($workload | Format-List | Out-String) | Should -Match '(?m)^ServiceAddresses\s*: 10\.0\.91\.200/24@eth0\s*$'
            }
            finally {
                Unregister-Workload @lab -ComputerName h1 -Name $addressed -Confirm:$false -ErrorAction SilentlyContinue
            }
        }

        It 'ends with InvalidServiceAddress for an address that cannot move and writes nothing' {
            $refused = "$name-badaddr"
            $thrown = $null
            try {
                Register-Workload @lab -ComputerName h1 -Name $refused -Dataset @() -Command 'true' -ServiceAddress '127.0.0.91/8@lo' -Confirm:$false -ErrorAction Stop
            }
            catch {
                $thrown = $_
            }

            $thrown.FullyQualifiedErrorId | Should -Be 'InvalidServiceAddress,MigrationTools.Commands.RegisterWorkloadCommand'
            $thrown.TargetObject | Should -Be '127.0.0.91/8@lo'
            Test-LabManifest -WorkloadName $refused | Should -BeFalse
        }

        # The data is read at discovery, before $name exists: each case names its workload by a suffix to it.
        It 'reports <ErrorId> for <Case> and writes nothing' -ForEach @(
            @{ Case = 'a workload name with a space'; Suffix = ' bad'; Change = @{}; ErrorId = 'InvalidWorkloadName' }
            @{ Case = 'a dataset name with a space'; Suffix = '-ds'; Change = @{ Dataset = 'tank/bad name' }; ErrorId = 'InvalidDatasetName' }
            @{ Case = 'a relative working directory'; Suffix = '-wd'; Change = @{ WorkingDirectory = 'srv' }; ErrorId = 'InvalidWorkloadDefinition' }
        ) {
            $parameters = $definition.Clone()
            $parameters.Name = "$name$Suffix"
            foreach ($key in $Change.Keys) { $parameters[$key] = $Change[$key] }

            Register-Workload @lab @parameters -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable registerErrors

            $registerErrors.FullyQualifiedErrorId | Should -Be "$ErrorId,MigrationTools.Commands.RegisterWorkloadCommand"
            "$($registerErrors[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
            Test-LabManifest -WorkloadName "$name$Suffix" | Should -BeFalse
        }

        It 'refuses a health URL that is not on the host itself' {
            $parameters = $definition.Clone()
            $parameters.Remove('HealthCommand')
            $parameters.Name = "$name-url"

            Register-Workload @lab @parameters -HealthUrl 'http://192.0.2.1/health' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable registerErrors

            $registerErrors.FullyQualifiedErrorId | Should -Be 'InvalidWorkloadDefinition,MigrationTools.Commands.RegisterWorkloadCommand'
            $registerErrors[0].Exception.Message | Should -BeLike '-HealthUrl:*host-local*'
        }

        It 'takes only one kind of health check' {
            { Register-Workload @lab @definition -HealthPort 8080 -WhatIf } | Should -Throw -ErrorId 'AmbiguousParameterSet,MigrationTools.Commands.RegisterWorkloadCommand'
        }
    }

    Context 'Get-Workload' {
        It 'lists the workload by literal name and by wildcard' {
            (Get-Workload @lab -ComputerName h1 -Name $name).Name | Should -Be $name
            (Get-Workload @lab -ComputerName h1 -Name "PESTER-$id*").Name | Should -Contain $name
        }

        It 'reports a literal name no host declares as WorkloadNotFound, and a wildcard matching nothing as no error' {
            Get-Workload @lab -ComputerName h1, h2 -Name "$name-absent" -ErrorAction SilentlyContinue -ErrorVariable listErrors
            $listErrors.FullyQualifiedErrorId | Should -Be 'WorkloadNotFound,MigrationTools.Commands.GetWorkloadCommand'
            "$($listErrors[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'

            $found = @(Get-Workload @lab -ComputerName h1 -Name "$name-absent*" -ErrorVariable wildcardErrors)
            $found.Count | Should -Be 0
            $wildcardErrors.Count | Should -Be 0
        }

        It 'lists the hosts that answer and reports the one that fails' {
            $workloads = Get-Workload @lab -ComputerName h1, '127.0.0.1:1' -Name $name -ErrorAction SilentlyContinue -ErrorVariable listErrors

            $workloads.Name | Should -Be $name
            $listErrors.FullyQualifiedErrorId | Should -Be 'ConnectionFailed,MigrationTools.Commands.GetWorkloadCommand'
            "$($listErrors[0].CategoryInfo.Category)" | Should -Be 'ConnectionError'
            $listErrors[0].TargetObject | Should -Be '127.0.0.1:1'
        }

        It 'reports a malformed manifest with its host and file and still lists the rest' {
            (Invoke-Lab -HostName h1 -CommandLine "echo '[]' > $manifestDirectory/$brokenName.json").ExitCode | Should -Be 0

            $workloads = Get-Workload @lab -ComputerName h1 -Name "pester-$id*" -ErrorAction SilentlyContinue -ErrorVariable listErrors

            $workloads.Name | Should -Be $name
            $listErrors.FullyQualifiedErrorId | Should -Be 'WorkloadManifestInvalid,MigrationTools.Commands.GetWorkloadCommand'
            $listErrors[0].ErrorDetails.Message | Should -BeLike "On h1: $manifestDirectory/$brokenName.json*"
            $listErrors[0].TargetObject | Should -Be "h1:$manifestDirectory/$brokenName.json"
        }

        It 'refuses a computer name ssh would read as an option' {
            Get-Workload @lab -ComputerName '-oProxyCommand=touch /tmp/pester' -ErrorAction SilentlyContinue -ErrorVariable listErrors

            $listErrors.FullyQualifiedErrorId | Should -Be 'InvalidComputerName,MigrationTools.Commands.GetWorkloadCommand'
        }

        It 'ends with KeyFileNotFound when -KeyFilePath names no file' {
            { Get-Workload @lab -ComputerName h1 -KeyFilePath '/nonexistent/id_ed25519' } |
                Should -Throw -ErrorId 'KeyFileNotFound,MigrationTools.Commands.GetWorkloadCommand'
        }

        It 'shows sizes in binary units and environment names without their values' {
            $table = Get-OwnWorkload | Format-Table | Out-String
            $list = Get-OwnWorkload | Format-List | Out-String

            $table | Should -Match 'Checkpoint'
            $table | Should -Match '\d B|KiB|MiB'
            $list | Should -Match 'SECRET_TOKEN'
            $list | Should -Not -Match 'pester-secret-value'
        }
    }

    Context 'Start-Workload, Stop-Workload and Unregister-Workload' {
        It 'changes nothing with Start-Workload -WhatIf' {
            Get-OwnWorkload | Start-Workload @lab -WhatIf

            "$((Get-OwnWorkload).State)" | Should -Be 'Stopped'
        }

        It 'starts a workload piped from Get-Workload' {
            $workload = Get-OwnWorkload | Start-Workload @lab -PassThru -Confirm:$false

            "$($workload.State)" | Should -Be 'Running'
            $workload.ProcessId | Should -BeGreaterThan 0
            (Invoke-Lab -HostName h1 -CommandLine "test -e /proc/$($workload.ProcessId)").ExitCode | Should -Be 0
        }

        It 'leaves a running workload as it is when started again' {
            $before = (Get-OwnWorkload).ProcessId

            $workload = Start-Workload @lab -ComputerName h1 -Name $name -PassThru -Confirm:$false -ErrorVariable startErrors

            $startErrors.Count | Should -Be 0
            $workload.ProcessId | Should -Be $before
        }

        It 'refuses to unregister a running workload' {
            Unregister-Workload @lab -ComputerName h1 -Name $name -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable unregisterErrors

            $unregisterErrors.FullyQualifiedErrorId | Should -Be 'WorkloadRunning,MigrationTools.Commands.UnregisterWorkloadCommand'
            Test-LabManifest -WorkloadName $name | Should -BeTrue
        }

        It 'changes nothing with Stop-Workload -WhatIf' {
            Get-OwnWorkload | Stop-Workload @lab -WhatIf

            "$((Get-OwnWorkload).State)" | Should -Be 'Running'
        }

        It 'stops a workload piped from Get-Workload within its grace period' {
            $processId = (Get-OwnWorkload).ProcessId

            $workload = Get-OwnWorkload | Stop-Workload @lab -Timeout 10 -PassThru -Confirm:$false -Verbose 4>&1 |
                Tee-Object -Variable stream | Where-Object { $_ -is [MigrationTools.Workload] }

            "$($workload.State)" | Should -Be 'Stopped'
            $workload.ProcessId | Should -BeNullOrEmpty
            ($stream | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain "$name on h1 ended after SIGTERM."
            $processId | Should -BeGreaterThan 0
            (Invoke-Lab -HostName h1 -CommandLine "test -e /proc/$processId").ExitCode | Should -Not -Be 0
        }

        It 'reports WorkloadNotFound for a workload the host does not declare' {
            Stop-Workload @lab -ComputerName h1 -Name "$name-absent" -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable stopErrors

            $stopErrors.FullyQualifiedErrorId | Should -Be 'WorkloadNotFound,MigrationTools.Commands.StopWorkloadCommand'
            $stopErrors[0].TargetObject | Should -Be "$name-absent on h1"
        }

        It 'changes nothing with Unregister-Workload -WhatIf' {
            Get-OwnWorkload | Unregister-Workload @lab -WhatIf

            Test-LabManifest -WorkloadName $name | Should -BeTrue
        }

        It 'removes a malformed manifest' {
            Unregister-Workload @lab -ComputerName h1 -Name $brokenName -Confirm:$false

            Test-LabManifest -WorkloadName $brokenName | Should -BeFalse
        }

        It 'unregisters a stopped workload and keeps its dataset' {
            Get-OwnWorkload | Unregister-Workload @lab -Confirm:$false

            Test-LabManifest -WorkloadName $name | Should -BeFalse
            (Invoke-Lab -HostName h1 -CommandLine "zfs list -H -o name $dataset").Output | Should -Be $dataset
            Get-Workload @lab -ComputerName h1 -Name $name -ErrorAction SilentlyContinue -ErrorVariable listErrors
            $listErrors.FullyQualifiedErrorId | Should -Be 'WorkloadNotFound,MigrationTools.Commands.GetWorkloadCommand'
        }
    }
}
