#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module's cmdlets in a real PowerShell, without any host: formatting, completion, the input errors reported
# before a host is reached, and the migration cmdlets over a journal of the tests' own (records made with the engine's
# types, so no host is needed). Needs a built module (dotnet build MigrationTools.sln); the lab is not used.

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
            Should -Be @('ComputerName', 'Name', 'State', 'ProcessId', 'Used', 'Checkpoint')
    }
}

Describe 'Formatting of migrations' {
    It 'has a table view and a list view for <TypeName>' -ForEach @(
        @{ TypeName = 'MigrationTools.Migration'; Headers = @('Id', 'Workload', 'Hosts', 'State', 'Transferred') }
        @{ TypeName = 'MigrationTools.MigrationPlan'; Headers = @('Passed', 'Workload', 'Hosts', 'Checkpoint', 'Estimated') }
    ) {
        $views = (Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition

        $views | ForEach-Object { $_.Control.GetType().Name } | Sort-Object | Should -Be @('ListControl', 'TableControl')
        ($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] }).Control.Headers.Label | Should -Be $Headers
    }

    It 'has a table view for <TypeName>' -ForEach @(
        @{ TypeName = 'MigrationTools.MigrationHistoryEntry' }
        @{ TypeName = 'MigrationTools.MigrationDataset' }
        @{ TypeName = 'MigrationTools.MigrationDatasetEstimate' }
        @{ TypeName = 'MigrationTools.Engine.Preflight.PreflightCheck' }
    ) {
        $views = (Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition

        $views.Control | Should -BeOfType [System.Management.Automation.TableControl]
    }

    It 'shows durations for people' {
        [MigrationTools.DurationText]::Format([timespan]::FromMilliseconds(1424)) | Should -Be '1.42 s'
        [MigrationTools.DurationText]::Format($null) | Should -Be ''
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
        @{ Command = 'Move-Workload' }
        @{ Command = 'Start-Migration' }
        @{ Command = 'Test-Migration' }
    ) {
        $line = "$Command -SshConfigFile '$config' -ComputerName h"

        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

        $completion.CompletionMatches.CompletionText | Should -Be @('h1', 'h2', 'h2-alias')
        $completion.CompletionMatches[0].ToolTip | Should -Be 'h1 (127.0.0.11)'
    }

    It 'offers them for -Destination of <Command>' -ForEach @(
        @{ Command = 'Move-Workload' }
        @{ Command = 'Start-Migration' }
        @{ Command = 'Test-Migration' }
    ) {
        $line = "$Command -SshConfigFile '$config' -ComputerName h1 -Name web -Destination h2"

        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

        $completion.CompletionMatches.CompletionText | Should -Be @('h2', 'h2-alias')
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
        @{ Case = '-KnownHostsFile names no file'; Parameters = @{ KnownHostsFile = '/nonexistent/known_hosts' }; ErrorId = 'KnownHostsFileNotFound' }
        @{ Case = '-UserName and -Credential are both given'; Parameters = @{ UserName = 'root'; Credential = [pscredential]::new('deploy', [securestring]::new()) }; ErrorId = 'ConflictingUserName' }
        @{ Case = '-UserName is not a user name'; Parameters = @{ UserName = 'root;reboot' }; ErrorId = 'InvalidConnectionOption' }
        @{ Case = '-HostHelper is not an absolute path'; Parameters = @{ HostHelper = 'mt-host' }; ErrorId = 'InvalidConnectionOption' }
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

    It 'resolves a relative -KnownHostsFile from the current location and names it when ssh could not use it' {
        Push-Location -Path $workDirectory
        try {
            Set-Content -Path 'known hosts' -Value ''

            { Get-Workload -ComputerName h1 -KnownHostsFile './known hosts' } |
                Should -Throw -ErrorId 'InvalidConnectionOption,MigrationTools.Commands.GetWorkloadCommand' -ExpectedMessage "-KnownHostsFile: *$workDirectory/known hosts*"
        }
        finally {
            Pop-Location
        }
    }

    It 'ends Register-Workload with InvalidServiceAddress for <Case>, naming the parameter' -ForEach @(
        @{ Case = 'an address without an interface'; Addresses = @('10.0.0.80/24'); Target = '10.0.0.80/24'; Fault = '*lacks its interface*' }
        @{ Case = 'an address without a prefix'; Addresses = @('10.0.0.80@eth0'); Target = '10.0.0.80@eth0'; Fault = '*lacks its prefix length*' }
        @{ Case = 'a prefix out of range'; Addresses = @('10.0.0.80/33@eth0'); Target = '10.0.0.80/33@eth0'; Fault = '*out of range*' }
        @{ Case = 'an IPv4 address in short form'; Addresses = @('10.1/24@eth0'); Target = '10.1/24@eth0'; Fault = '*not an IPv4 or IPv6 address*' }
        @{ Case = 'a loopback address'; Addresses = @('127.0.0.5/8@lo'); Target = '127.0.0.5/8@lo'; Fault = '*loopback*' }
        @{ Case = 'a link-local IPv6 address'; Addresses = @('fe80::1/64@eth0'); Target = 'fe80::1/64@eth0'; Fault = '*link-local*' }
        @{ Case = 'the broadcast address of the prefix'; Addresses = @('10.0.0.255/24@eth0'); Target = '10.0.0.255/24@eth0'; Fault = '*broadcast*' }
        @{ Case = 'an interface name a shell would split'; Addresses = @('10.0.0.80/24@eth0;reboot'); Target = '10.0.0.80/24@eth0;reboot'; Fault = "*contains ';'*" }
        @{ Case = 'an interface name too long'; Addresses = @('10.0.0.80/24@abcdefghijklmnop'); Target = '10.0.0.80/24@abcdefghijklmnop'; Fault = '*at most 15*' }
        @{ Case = 'an address listed twice'; Addresses = @('10.0.0.80/24@eth0', '10.0.0.80/16@eth1'); Target = '10.0.0.80/16@eth1'; Fault = '*listed twice*' }
    ) {
        $thrown = $null
        try {
            Register-Workload -ComputerName h1 -Name web -Dataset @() -Command 'true' -ServiceAddress $Addresses -Confirm:$false -ErrorAction Stop
        }
        catch {
            $thrown = $_
        }

        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -Be 'InvalidServiceAddress,MigrationTools.Commands.RegisterWorkloadCommand'
        "$($thrown.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $thrown.TargetObject | Should -Be $Target
        $thrown.Exception.Message | Should -BeLike '-ServiceAddress: *'
        $thrown.Exception.Message | Should -BeLike $Fault
    }

    It 'takes valid service addresses, also by the alias ServiceAddresses, up to the confirmation' {
        # -WhatIf stops at the confirmation, after every value was checked and before the host is reached.
        { Register-Workload -ComputerName h1 -Name web -Dataset @() -Command 'true' -ServiceAddresses '10.0.0.80/24@eth0', 'fd00::80/64@br0' -WhatIf -ErrorAction Stop } |
            Should -Not -Throw
    }

    It 'refuses two kinds of health check at once' {
        { Register-Workload -ComputerName h1 -Name web -Dataset @() -Command 'true' -HealthPort 80 -HealthCommand 'true' -WhatIf } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,MigrationTools.Commands.RegisterWorkloadCommand'
    }
}

Describe 'The migration cmdlets over a journal, without hosts' {
    BeforeAll {
        $journalPath = Join-Path $workDirectory 'journal'
        $journal = [MigrationTools.Engine.Journal.MigrationJournal]::new($journalPath)
        $start = [datetimeoffset]::new(2026, 3, 1, 10, 0, 0, [timespan]::Zero)

        # Records made through the engine's own state machine, as its phases would leave them.
        function New-Record {
            param([string] $Id, [string] $Workload, [int] $Minutes)
            $journal.Create([MigrationTools.Engine.Migrations.MigrationRecord]::new(
                [MigrationTools.Engine.Migrations.MigrationId]::Parse($Id),
                [MigrationTools.Engine.Workloads.WorkloadName]::Parse($Workload),
                'h1', 'h2', [MigrationTools.Engine.Workloads.CheckpointMode]::Criu, $start.AddMinutes($Minutes)))
        }

        function Move-Record {
            param($Record, [string] $State, [string] $Phase, [long] $Bytes)
            $at = $Record.UpdatedAt.AddSeconds(30)
            $phaseRecord = [MigrationTools.Engine.Migrations.PhaseRecord]::new($Phase, $Record.UpdatedAt, $at, "sent $Bytes bytes", $Bytes)
            $moved = [MigrationTools.Engine.Migrations.MigrationStateMachine]::Move($Record, $State, $phaseRecord)
            $journal.Save($moved)
        }

        $aborted = New-Record -Id 'm-00000000000a' -Workload 'web' -Minutes 0
        $aborted = Move-Record -Record (Move-Record -Record $aborted -State Begun -Phase Begin -Bytes 1MB) -State Aborted -Phase Abort -Bytes 0
        $synced = New-Record -Id 'm-00000000000b' -Workload 'web' -Minutes 10
        $synced = Move-Record -Record (Move-Record -Record $synced -State Begun -Phase Begin -Bytes 2MB) -State Synced -Phase Sync -Bytes 64KB
        $begun = New-Record -Id 'm-00000000000c' -Workload 'db' -Minutes 5
        $begun = Move-Record -Record $begun -State Begun -Phase Begin -Bytes 3MB

        function Get-RecordText {
            param([string] $Id)
            Get-Content -Raw -Path (Join-Path $journalPath "$Id.json")
        }
    }

    Context 'Get-Migration' {
        It 'lists every migration of the journal, oldest first' {
            $migrations = Get-Migration -JournalPath $journalPath

            $migrations.Id | Should -Be @('m-00000000000a', 'm-00000000000c', 'm-00000000000b')
            $migrations[0] | Should -BeOfType [MigrationTools.Migration]
            "$($migrations[0].State)" | Should -Be 'Aborted'
            $migrations[0].EndTime | Should -Not -BeNullOrEmpty
            "$($migrations[2].Phase)" | Should -Be 'Sync'
            $migrations[2].History.Phase | ForEach-Object { "$_" } | Should -Be @('Begin', 'Sync')
            $migrations[2].History.BytesTransferred | Should -Be @(2MB, 64KB)
            $migrations[2].History[0].Duration | Should -Be ([timespan]::FromSeconds(30))
            $migrations[2].JournalPath | Should -Be $journalPath
        }

        It 'filters by state, by workload with wildcards, and by id' {
            (Get-Migration -JournalPath $journalPath -State Synced, Begun).Id | Should -Be @('m-00000000000c', 'm-00000000000b')
            (Get-Migration -JournalPath $journalPath -Workload 'W*').Id | Should -Be @('m-00000000000a', 'm-00000000000b')
            (Get-Migration -JournalPath $journalPath -Workload web -State Synced).Id | Should -Be 'm-00000000000b'
            (Get-Migration 'm-00000000000c' -JournalPath $journalPath).Workload | Should -Be 'db'
        }

        It 'binds the id and the journal of a migration piped into it' {
            $migration = Get-Migration -JournalPath $journalPath -Id 'm-00000000000b'

            ($migration | Get-Migration).Id | Should -Be 'm-00000000000b'
        }

        It 'reports an id the journal does not hold as MigrationNotFound, and an invalid one as InvalidMigrationId' {
            Get-Migration -JournalPath $journalPath -Id 'm-0000000000ff', 'web' -ErrorAction SilentlyContinue -ErrorVariable listErrors

            $listErrors.FullyQualifiedErrorId | Sort-Object | Should -Be @(
                'InvalidMigrationId,MigrationTools.Commands.GetMigrationCommand'
                'MigrationNotFound,MigrationTools.Commands.GetMigrationCommand'
            )
        }

        It 'lists nothing, without an error, for a workload without migrations or a state no migration is in' {
            @(Get-Migration -JournalPath $journalPath -Workload mail -ErrorVariable listErrors).Count | Should -Be 0
            @(Get-Migration -JournalPath $journalPath -State Failed -ErrorVariable stateErrors).Count | Should -Be 0
            $listErrors.Count + $stateErrors.Count | Should -Be 0
        }

        It 'reports a -JournalPath that names no directory as JournalUnavailable' {
            Get-Migration -JournalPath (Join-Path $workDirectory 'no-journal') -ErrorAction SilentlyContinue -ErrorVariable listErrors

            $listErrors.FullyQualifiedErrorId | Should -Be 'JournalUnavailable,MigrationTools.Commands.GetMigrationCommand'
            Test-Path (Join-Path $workDirectory 'no-journal') | Should -BeFalse
        }

        It 'lists nothing from a default journal that does not exist yet, and creates none' {
            $saved = $env:MIGRATIONTOOLS_JOURNAL
            $env:MIGRATIONTOOLS_JOURNAL = Join-Path $workDirectory 'default-journal'
            try {
                @(Get-Migration -ErrorVariable listErrors).Count | Should -Be 0
                $listErrors.Count | Should -Be 0
                Test-Path $env:MIGRATIONTOOLS_JOURNAL | Should -BeFalse
            }
            finally {
                $env:MIGRATIONTOOLS_JOURNAL = $saved
            }
        }

        It 'reports a journal file that cannot be read and still lists the others' {
            $broken = Join-Path $journalPath 'm-0000000000ee.json'
            Set-Content -Path $broken -Value '{ not json'
            try {
                $migrations = Get-Migration -JournalPath $journalPath -ErrorAction SilentlyContinue -ErrorVariable listErrors

                $migrations.Count | Should -Be 3
                $listErrors.FullyQualifiedErrorId | Should -Be 'JournalCorrupt,MigrationTools.Commands.GetMigrationCommand'
                $listErrors[0].TargetObject | Should -Be $broken
                Get-Content -Raw $broken | Should -Be "{ not json$([Environment]::NewLine)"
            }
            finally {
                Remove-Item -Path $broken
            }
        }

        It 'shows migrations as a table and in detail' {
            $table = Get-Migration -JournalPath $journalPath | Format-Table | Out-String -Width 80
            $list = Get-Migration -JournalPath $journalPath -Id 'm-00000000000b' | Format-List | Out-String -Width 80

            $table | Should -Match 'm-00000000000b\s+web\s+h1 -> h2\s+Synced\s+0 B, 0 syncs'
            $table | Should -Not -Match '…'
            $list | Should -Match 'History\s+: Begin\s+\d{4}-\d{2}-\d{2} '
            $list | Should -Match '30\.0 s\s+2\.0 MiB'
            $list | Should -Match 'relayed through the controller'
        }

        It 'works in a thread job' {
            $ids = Start-ThreadJob -ScriptBlock {
                Import-Module -Name $using:manifestPath
                (Get-Migration -JournalPath $using:journalPath).Id
            } | Receive-Job -Wait -AutoRemoveJob

            $ids | Should -Be @('m-00000000000a', 'm-00000000000c', 'm-00000000000b')
        }
    }

    Context 'Completion of -Id' {
        It 'offers the migrations <Command> can act on, newest first' -ForEach @(
            @{ Command = 'Switch-Migration'; Expected = @('m-00000000000b', 'm-00000000000c') }
            @{ Command = 'Sync-Migration'; Expected = @('m-00000000000b', 'm-00000000000c') }
            @{ Command = 'Get-Migration'; Expected = @('m-00000000000b', 'm-00000000000c', 'm-00000000000a') }
        ) {
            $line = "$Command -JournalPath '$journalPath' -Id "

            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

            $completion.CompletionMatches.CompletionText | Should -Be $Expected
        }

        It 'offers no migration for a phase none of them is ready for' {
            $line = "Complete-Migration -JournalPath '$journalPath' -Id "

            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | Should -BeNullOrEmpty
        }

        It 'offers the migrations of a workload by its name' {
            $line = "Get-Migration -JournalPath '$journalPath' -Id db"

            $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length

            $completion.CompletionMatches.CompletionText | Should -Be 'm-00000000000c'
            $completion.CompletionMatches[0].ToolTip | Should -BeLike 'db from h1 to h2: Begun (0 syncs), begun *'
        }
    }

    Context 'The phase cmdlets' {
        It '<Command> -WhatIf changes nothing and reaches no host' -ForEach @(
            @{ Command = 'Sync-Migration' }
            @{ Command = 'Switch-Migration' }
            @{ Command = 'Complete-Migration' }
            @{ Command = 'Undo-Migration' }
            @{ Command = 'Stop-Migration' }
        ) {
            $before = Get-RecordText -Id 'm-00000000000b'

            $output = Get-Migration -JournalPath $journalPath -Id 'm-00000000000b' | & $Command -WhatIf -ErrorVariable phaseErrors

            $output | Should -BeNullOrEmpty
            $phaseErrors.Count | Should -Be 0
            Get-RecordText -Id 'm-00000000000b' | Should -Be $before
        }

        It 'reports an id the journal does not hold as MigrationNotFound and goes on with the next' {
            Sync-Migration -Id 'm-0000000000ff', 'not-an-id' -JournalPath $journalPath -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable phaseErrors

            $phaseErrors.FullyQualifiedErrorId | Should -Be @(
                'MigrationNotFound,MigrationTools.Commands.SyncMigrationCommand'
                'InvalidMigrationId,MigrationTools.Commands.SyncMigrationCommand'
            )
            "$($phaseErrors[0].CategoryInfo.Category)" | Should -Be 'ObjectNotFound'
            $phaseErrors[0].TargetObject | Should -Be 'm-0000000000ff'
        }

        It 'finds no migration in a journal that does not exist, and creates none' {
            $missing = Join-Path $workDirectory 'missing-journal'

            Switch-Migration -Id 'm-00000000000b' -JournalPath $missing -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable phaseErrors

            $phaseErrors.FullyQualifiedErrorId | Should -Be 'MigrationNotFound,MigrationTools.Commands.SwitchMigrationCommand'
            Test-Path $missing | Should -BeFalse
        }
    }

    Context 'Undo-Migration -KeepChanges' {
        BeforeAll {
            # A switched migration in a journal of its own, so the listings and completions above keep their three.
            $switchedJournalPath = Join-Path $workDirectory 'switched-journal'
            $switchedJournal = [MigrationTools.Engine.Journal.MigrationJournal]::new($switchedJournalPath)
            $switched = $switchedJournal.Create([MigrationTools.Engine.Migrations.MigrationRecord]::new(
                [MigrationTools.Engine.Migrations.MigrationId]::Parse('m-00000000000d'),
                [MigrationTools.Engine.Workloads.WorkloadName]::Parse('api'),
                'h1', 'h2', [MigrationTools.Engine.Workloads.CheckpointMode]::Criu, $start))
            foreach ($step in @(@('Begun', 'Begin'), @('Synced', 'Sync'), @('Switching', 'Switch'), @('Switched', 'Switch'))) {
                $end = if ($step[0] -eq 'Switching') { $null } else { $switched.UpdatedAt.AddSeconds(30) }
                $phaseRecord = [MigrationTools.Engine.Migrations.PhaseRecord]::new($step[1], $switched.UpdatedAt, $end, "to $($step[0])", 1KB)
                $switched = $switchedJournal.Save([MigrationTools.Engine.Migrations.MigrationStateMachine]::Move($switched, $step[0], $phaseRecord))
            }

            . (Join-Path $PSScriptRoot 'PowerShellProcess.ps1')
            $pwsh = Get-PowerShellCommand
        }

        It 'is a switch of its own, in every parameter set, taken from no pipeline' {
            $parameter = (Get-Command -Name 'Undo-Migration').Parameters['KeepChanges']

            $parameter.SwitchParameter | Should -BeTrue
            $parameter.ParameterSets.Keys | Should -Be '__AllParameterSets'
            $attribute = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
            $attribute.Mandatory | Should -BeFalse
            $attribute.ValueFromPipeline | Should -BeFalse
            $attribute.ValueFromPipelineByPropertyName | Should -BeFalse
        }

        It 'with -WhatIf binds a Migration from the pipeline, says the changes are kept, and changes nothing' {
            $before = Get-Content -Raw -Path (Join-Path $switchedJournalPath 'm-00000000000d.json')
            # What-if text goes to the host, so a child PowerShell's standard output is where a test can read it.
            $script = "Import-Module -Name '$manifestPath'; Get-Migration -JournalPath '$switchedJournalPath' -Id 'm-00000000000d' | Undo-Migration -KeepChanges -WhatIf"
            $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)

            $output = ($null | & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" }) -join "`n"

            $LASTEXITCODE | Should -Be 0
            $output | Should -BeLike '*What if:*migration m-00000000000d (api from h1 to h2, Switched)*'
            $output | Should -BeLike '*since the switch is KEPT (sent back)*'
            $output | Should -Not -BeLike '*DISCARDED*'
            Get-Content -Raw -Path (Join-Path $switchedJournalPath 'm-00000000000d.json') | Should -Be $before
        }

        It 'refuses a migration that is not Switched with MigrationRefused, before any host is reached' {
            $before = Get-RecordText -Id 'm-00000000000b'

            Undo-Migration -Id 'm-00000000000b' -JournalPath $journalPath -KeepChanges -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable undoErrors

            $undoErrors.Count | Should -Be 1
            $undoErrors[0].FullyQualifiedErrorId | Should -Be 'MigrationRefused,MigrationTools.Commands.UndoMigrationCommand'
            "$($undoErrors[0].CategoryInfo.Category)" | Should -Be 'InvalidOperation'
            $undoErrors[0].Exception.Message | Should -BeLike '*an undo that keeps changes*'
            $undoErrors[0].TargetObject.Id | Should -Be 'm-00000000000b'
            Get-RecordText -Id 'm-00000000000b' | Should -Be $before
        }
    }

    Context 'Start-Migration, Move-Workload and Test-Migration before any host is reached' {
        It 'Start-Migration -WhatIf records nothing and creates no journal' {
            $fresh = Join-Path $workDirectory 'fresh-journal'

            Start-Migration -ComputerName h1 -Name web -Destination h2 -JournalPath $fresh -WhatIf

            Test-Path $fresh | Should -BeFalse
        }

        It 'Move-Workload -WhatIf binds a Workload-like object and a Migration' {
            [pscustomobject]@{ ComputerName = 'h1'; Name = 'web' } | Move-Workload -Destination h2 -JournalPath (Join-Path $workDirectory 'fresh-journal') -WhatIf
            Get-Migration -JournalPath $journalPath -Id 'm-00000000000a' | Move-Workload -WhatIf

            Test-Path (Join-Path $workDirectory 'fresh-journal') | Should -BeFalse
            (Get-Migration -JournalPath $journalPath).Count | Should -Be 3
        }

        It 'reports <ErrorId> for <Case>' -ForEach @(
            @{ Case = 'a bandwidth limit that is no rate'; Parameters = @{ BandwidthLimit = 'fast' }; ErrorId = 'InvalidBandwidthLimit' }
            @{ Case = 'a bandwidth limit below 1K'; Parameters = @{ BandwidthLimit = '10' }; ErrorId = 'InvalidBandwidthLimit' }
            @{ Case = 'a destination ssh would read as an option'; Parameters = @{ Destination = '-oProxyCommand=x' }; ErrorId = 'InvalidComputerName' }
            @{ Case = 'a workload name with a space'; Parameters = @{ Name = 'bad name' }; ErrorId = 'InvalidWorkloadName' }
        ) {
            $arguments = @{ ComputerName = 'h1'; Name = 'web'; Destination = 'h2'; JournalPath = (Join-Path $workDirectory 'fresh-journal') }
            foreach ($key in $Parameters.Keys) { $arguments[$key] = $Parameters[$key] }

            Start-Migration @arguments -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable startErrors

            $startErrors.FullyQualifiedErrorId | Should -Be "$ErrorId,MigrationTools.Commands.StartMigrationCommand"
            "$($startErrors[0].CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        }

        It 'ends the command with InvalidCutoverHook for a hook without a stage' {
            { Move-Workload -ComputerName h1 -Name web -Destination h2 -Hook @{ Command = 'true' } -WhatIf } |
                Should -Throw -ErrorId 'InvalidCutoverHook,MigrationTools.Commands.MoveWorkloadCommand' -ExpectedMessage '-Hook: Hook 1: Stage is missing*'
        }

        It '<Command> takes -MemoryTransfer, one of the four methods, Auto by default, by property name in the Workload set' -ForEach @(
            @{ Command = 'Test-Migration' }, @{ Command = 'Start-Migration' }, @{ Command = 'Move-Workload' }
        ) {
            $parameter = (Get-Command -Name $Command).Parameters['MemoryTransfer']

            $parameter.ParameterType | Should -Be ([MigrationTools.Engine.Criu.MemoryTransfer])
            [enum]::GetNames($parameter.ParameterType) | Should -Be @('Auto', 'PostCopy', 'PreCopy', 'StopAndCopy')
            $parameter.ParameterSets.Keys | Should -Be 'Workload'
            $parameter.ParameterSets['Workload'].ValueFromPipelineByPropertyName | Should -BeTrue
            $parameter.ParameterSets['Workload'].IsMandatory | Should -BeFalse
        }

        It 'refuses an unknown -MemoryTransfer before any host is reached' {
            { Start-Migration -ComputerName h1 -Name web -Destination h2 -MemoryTransfer Lazy -JournalPath (Join-Path $workDirectory 'fresh-journal') -WhatIf } |
                Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,MigrationTools.Commands.StartMigrationCommand' -ExpectedMessage '*Auto*PostCopy*PreCopy*StopAndCopy*'
            Test-Path (Join-Path $workDirectory 'fresh-journal') | Should -BeFalse
        }

        It 'with -WhatIf names the memory transfer asked for, from a parameter or an object bound by property name, and records nothing' {
            . (Join-Path $PSScriptRoot 'PowerShellProcess.ps1')
            $pwsh = Get-PowerShellCommand
            $fresh = Join-Path $workDirectory 'fresh-journal'
            # What-if text goes to the host, so a child PowerShell's standard output is where a test can read it.
            $script = "Import-Module -Name '$manifestPath'; " +
                "Move-Workload -ComputerName h1 -Name web -Destination h2 -MemoryTransfer PostCopy -JournalPath '$fresh' -WhatIf; " +
                "[pscustomobject]@{ Source = 'h1'; Workload = 'db'; Destination = 'h2'; MemoryTransfer = 'StopAndCopy' } | Start-Migration -JournalPath '$fresh' -WhatIf; " +
                "Start-Migration -ComputerName h1 -Name mail -Destination h2 -JournalPath '$fresh' -WhatIf"
            $arguments = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)

            $lines = @($null | & $pwsh[0] @arguments 2>&1 | ForEach-Object { "$_" } | Where-Object { $_ -like 'What if:*' })

            $LASTEXITCODE | Should -Be 0
            $lines.Count | Should -Be 3
            $lines[0] | Should -BeLike '*(relayed through this machine, memory by PostCopy)*web on h1*'
            $lines[1] | Should -BeLike '*(relayed through this machine, memory by StopAndCopy)*db on h1*'
            $lines[2] | Should -BeLike '*mail on h1*'
            $lines[2] | Should -Not -BeLike '*memory by*' -Because 'Auto, the default, is not named'
            Test-Path $fresh | Should -BeFalse
        }

        It 'warns that -KeepSourceDataset needs -Complete' {
            Move-Workload -ComputerName h1 -Name web -Destination h2 -KeepSourceDataset -WhatIf -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings | Should -BeLike '*-KeepSourceDataset applies only with -Complete*'
        }
    }
}
