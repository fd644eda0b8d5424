#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every view of Module/MigrationTools.format.ps1xml in a real PowerShell, without any host: rendered at 80 columns (a
# default console) and at 120, with typical and worst-case content (sizes in TiB, every state, 15-character host names,
# long dataset names and messages), no line is longer than the width, no header wraps, nothing is cut ('…') and every
# value a view shows is there in full (a value may wrap onto the next line of its cell); at 120 a table uses the room.
# The views are enumerated from the format file and Get-FormatData, so a new view is covered and needs sample objects
# here. Migrations are made over a journal of the tests' own with the engine's types; workloads and plans with their
# types' constructors, since the cmdlets that make them need hosts. Needs a built module (dotnet build MigrationTools.sln).

BeforeDiscovery {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
    $formatFile = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../Module/MigrationTools.format.ps1xml')).Path
    $typeNames = @(([xml](Get-Content -Raw -Path $formatFile)).SelectNodes('//View/ViewSelectedBy/TypeName') |
            ForEach-Object { $_.InnerText.Trim() } | Sort-Object -Unique)
    $viewCases = @(foreach ($typeName in $typeNames) {
            foreach ($view in (Get-FormatData -TypeName $typeName -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition) {
                @{ TypeName = $typeName; ViewName = $view.Name; Shape = $view.Control.GetType().Name -replace 'Control$' }
            }
        })
}

BeforeAll {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
    $formatFile = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../Module/MigrationTools.format.ps1xml')).Path
    $workDirectory = Join-Path ([System.IO.Path]::GetTempPath()) ("mt-views-" + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $workDirectory | Out-Null
    # Plain text, so that widths are counted in characters and no escape sequence stands in the way.
    $savedRendering = $PSStyle.OutputRendering
    $PSStyle.OutputRendering = 'PlainText'

    $TiB = [long][math]::Pow(2, 40)
    $start = [datetimeoffset]::new(2026, 3, 1, 10, 0, 0, [timespan]::Zero)
    $longSource = 'db-primary-0123'
    $longDestination = 'db-replica-0456'
    $longDataset = 'tank/workloads/billing-postgres-primary/data'
    # Service addresses at their longest: a full IPv6 address and 15-character interface names.
    $longAddresses = @('10.200.255.254/16@bond0.4094', '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe/64@bond0.4094', 'fd00::ffff:ffff:80/64@br-billing-0001')
    function New-ServiceAddresses([string[]] $Text) { , [MigrationTools.Engine.Network.ServiceAddress[]]@($Text | ForEach-Object { [MigrationTools.Engine.Network.ServiceAddress]::Parse($_) }) }

    function New-Dataset([string] $Name) { [MigrationTools.Engine.Zfs.DatasetName]::Parse($Name) }

    # The record types are immutable with init-only properties. PowerShell has no 'with' expression, so a record that
    # Move has just copied, and that nobody else holds yet, gets its properties set the way an initializer would.
    function Set-RecordProperty($Record, [hashtable] $Values) {
        foreach ($name in $Values.Keys) { $Record.$name = $Values[$name] }
        $Record
    }

    # One migration of the journal, moved through the engine's state machine along $Path; each phase takes $PhaseTime.
    function New-Migration {
        param(
            [string] $Id, [string] $Workload, [string] $Source, [string] $Destination, [string[]] $Path = @(),
            [long] $Bytes = 0, [int] $Syncs = 0, [timespan] $PhaseTime = [timespan]::FromSeconds(723), [hashtable] $Values = @{})
        $record = $journal.Create([MigrationTools.Engine.Migrations.MigrationRecord]::new(
                [MigrationTools.Engine.Migrations.MigrationId]::Parse($Id), [MigrationTools.Engine.Workloads.WorkloadName]::Parse($Workload),
                $Source, $Destination, [MigrationTools.Engine.Workloads.CheckpointMode]::Criu, $start))
        $phaseOf = @{ Begun = 'Begin'; Synced = 'Sync'; Switching = 'Switch'; Switched = 'Switch'; Completed = 'Complete'; Aborted = 'Abort'; RolledBack = 'Undo'; Failed = 'Sync' }
        foreach ($state in $Path) {
            $began = $record.UpdatedAt
            $outcome = if ($state -eq 'Failed') { "failed: ssh to $Destination failed: Connection timed out after 30 s" } else { "sent $([MigrationTools.Engine.Transfer.ByteSize]::Format($Bytes)) in 3 dataset(s)" }
            $phase = [MigrationTools.Engine.Migrations.PhaseRecord]::new($phaseOf[$state], $began, $began.Add($PhaseTime), $outcome, $Bytes)
            $record = [MigrationTools.Engine.Migrations.MigrationStateMachine]::Move($record, $state, $phase)
        }
        $values = @{ BytesTransferred = $Bytes; SyncCount = $Syncs } + $Values
        $journal.Save((Set-RecordProperty -Record $record -Values $values)) | Out-Null
    }

    $journalPath = Join-Path $workDirectory 'journal'
    $journal = [MigrationTools.Engine.Journal.MigrationJournal]::new($journalPath)
    $wideSettings = [MigrationTools.Engine.Migrations.MigrationSettings]@{
        Path = 'Direct'; Compression = 'Zstd'; BandwidthLimit = [MigrationTools.Engine.Transfer.BandwidthLimit]::Parse('50M')
        ReleaseSourceBeforeRestore = $true; Checkpoint = [MigrationTools.Engine.Criu.CriuOptions]@{ TcpEstablished = $true; FileLocks = $true }
        MemoryTransfer = 'StopAndCopy'
        Hooks = [MigrationTools.Engine.Hooks.CutoverHook[]]@(
            [MigrationTools.Engine.Hooks.CutoverHook]::new('BeforeFreeze', 'Controller', [string[]]@('/usr/local/bin/drain-load-balancer', '--pool', 'billing', '--wait', '30s'))
            [MigrationTools.Engine.Hooks.CutoverHook]::new('AfterCommit', 'Destination', [string[]]@('systemctl', 'reload', 'pgbouncer')))
    }
    $datasets = [MigrationTools.Engine.Migrations.DatasetProgress[]]@(
        [MigrationTools.Engine.Migrations.DatasetProgress]::new((New-Dataset $longDataset), (New-Dataset $longDataset), 'mt-m-0123456789ab-12', 1234567890, [long](1023.9 * $TiB))
        [MigrationTools.Engine.Migrations.DatasetProgress]::new((New-Dataset 'tank/billing/wal'), (New-Dataset 'tank/billing/wal'), $null, $null, 0))
    $downtimeParts = [MigrationTools.Engine.Migrations.DowntimeParts]@{
        Dump = [timespan]::FromMilliseconds(312); FinalDelta = [timespan]::FromSeconds(12.3); ImageTransfer = [timespan]::FromSeconds(723)
        Restore = [timespan]::FromMilliseconds(1424); Health = [timespan]::FromHours(23.99)
        MemoryTransfer = 'PostCopy'; PostCopy = [timespan]::FromHours(23.99)
    }
    New-Migration -Id 'm-0123456789ab' -Workload 'billing-worker' -Source $longSource -Destination $longDestination -Path Begun, Synced, Switching, Switched `
        -Bytes ([long](1023.9 * $TiB)) -Syncs 12 -Values @{ Settings = $wideSettings; Datasets = $datasets; Downtime = [timespan]::FromSeconds(723); DowntimeParts = $downtimeParts; Owner = 'Destination'; ServiceAddresses = (New-ServiceAddresses $longAddresses) }
    New-Migration -Id 'm-00000000000a' -Workload 'mail' -Source 'h1' -Destination 'h2'
    New-Migration -Id 'm-00000000000b' -Workload 'payments-api' -Source $longSource -Destination 'h2' -Path Begun -Bytes 1424 -Syncs 1 -PhaseTime ([timespan]::FromMilliseconds(420))
    New-Migration -Id 'm-00000000000c' -Workload 'cache' -Source 'h1' -Destination $longDestination -Path Begun, Synced -Bytes ([long](999.9 * 1GB)) -Syncs 3 -PhaseTime ([timespan]::FromSeconds(1.42))
    New-Migration -Id 'm-00000000000d' -Workload 'queue' -Source 'h1' -Destination 'h2' -Path Begun, Synced, Switching -Bytes 1023 -Syncs 1 -Values @{ ActivePhase = 'Switch' }
    New-Migration -Id 'm-00000000000e' -Workload 'search' -Source 'h1' -Destination 'h2' -Path Begun, Synced, Switching, Switched, Completed -Bytes ([long](12.5 * 1MB)) -Syncs 2 -Values @{ Downtime = [timespan]::FromMilliseconds(1424); Owner = 'Destination'
        DowntimeParts = [MigrationTools.Engine.Migrations.DowntimeParts]@{ Dump = [timespan]::FromMilliseconds(420); Restore = [timespan]::FromMilliseconds(980); MemoryTransfer = 'StopAndCopy' } }
    New-Migration -Id 'm-00000000000f' -Workload 'web' -Source 'h1' -Destination 'h2' -Path Begun, Aborted -Bytes 0 -Syncs 0
    New-Migration -Id 'm-000000000010' -Workload 'web' -Source 'h2' -Destination 'h1' -Path Begun, Synced, Switching, RolledBack -Bytes ([long](1.5 * 1GB)) -Syncs 1 -PhaseTime ([timespan]::FromDays(3.2)) `
        -Values @{ Downtime = [timespan]::FromHours(23.99) }
    New-Migration -Id 'm-000000000011' -Workload 'billing-postgres-primary' -Source $longSource -Destination $longDestination -Path Begun, Failed -Bytes ([long](2.5 * $TiB)) -Syncs 0 `
        -Values @{ LastError = "The sync failed: ssh to $longDestination failed: Connection timed out after 30 s. Check the network, then run Sync-Migration again to continue." }
    $migrations = @(Get-Migration -JournalPath $journalPath)

    # What Get-Workload writes, made with the type's own constructor from the engine's summary of a host's workload.
    function New-Workload {
        param([string] $ComputerName, [string] $Name, [string] $State, [int] $ProcessId, [long] $UsedBytes, [string] $CheckpointMode,
            [string[]] $Dataset = @("tank/$Name"), [string[]] $Command = @('/usr/bin/true'), $HealthCheck = $null, [hashtable] $Environment = @{}, [string[]] $Missing = @(),
            [string[]] $ServiceAddress = @())
        $variables = [System.Collections.Generic.Dictionary[string, string]]::new()
        foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
        $manifest = [MigrationTools.Engine.Workloads.WorkloadManifest]::new([MigrationTools.Engine.Workloads.WorkloadName]::Parse($Name),
            [MigrationTools.Engine.Zfs.DatasetName[]]@($Dataset | ForEach-Object { New-Dataset $_ }), $Command, $CheckpointMode, '/', $variables, $HealthCheck, 'Automatic', (New-ServiceAddresses $ServiceAddress))
        $process = if ($ProcessId) { [MigrationTools.Engine.Workloads.WorkloadProcess]::new($ProcessId, 123456789) } else { $null }
        $usage = [MigrationTools.Engine.Workloads.WorkloadDatasetUsage[]]@($Dataset | ForEach-Object {
                [MigrationTools.Engine.Workloads.WorkloadDatasetUsage]::new((New-Dataset $_), $(if ($Missing -contains $_) { $null } else { $UsedBytes }))
            })
        $summary = [MigrationTools.Engine.Workloads.WorkloadSummary]::new($ComputerName, $manifest,
            [MigrationTools.Engine.Workloads.WorkloadStatus]::new($manifest.Name, $State, $process), $usage)
        [MigrationTools.Workload].GetConstructors([System.Reflection.BindingFlags]'NonPublic, Instance')[0].Invoke(@($summary, [MigrationTools.Engine.Workloads.WorkloadPaths]::new()))
    }

    $workloads = @(
        New-Workload -ComputerName $longSource -Name 'billing-postgres-primary' -State Running -ProcessId 4194303 -UsedBytes ([long](1023.9 * $TiB)) -CheckpointMode Restart `
            -Dataset $longDataset, 'tank/workloads/billing-postgres-primary/wal' -Missing 'tank/workloads/billing-postgres-primary/wal' `
            -Command '/usr/lib/postgresql/16/bin/postgres', '-D', '/tank/workloads/billing-postgres-primary/data', '-c', 'config_file=/etc/postgresql/16/main/postgresql.conf' `
            -HealthCheck ([MigrationTools.Engine.Workloads.HealthCheck]::ForHttpUrl([uri]'http://127.0.0.1:8080/healthz/ready', 30)) -Environment @{ PGDATA = '/tank/data'; BILLING_DATABASE_PASSWORD = 'secret' } `
            -ServiceAddress $longAddresses
        New-Workload -ComputerName 'h1' -Name 'web' -State Stopped -UsedBytes 1424 -CheckpointMode Criu -HealthCheck ([MigrationTools.Engine.Workloads.HealthCheck]::ForTcpPort(8080))
        New-Workload -ComputerName $longDestination -Name 'payments-api' -State Frozen -ProcessId 31337 -UsedBytes 0 -CheckpointMode Criu -Dataset 'tank/payments-api' -Missing 'tank/payments-api' `
            -HealthCheck ([MigrationTools.Engine.Workloads.HealthCheck]::ForCommand([string[]]@('/usr/local/bin/payments-api', '--check')))
    )

    # What Test-Migration writes, made with the type's own constructor from an engine plan with the engine's checks.
    function New-Plan([string] $Workload, [string] $Source, [string] $Destination, $CheckpointMode, $Checks, $Estimates, $Settings, [string[]] $ServiceAddress = @(),
        [MigrationTools.Engine.Criu.MemoryTransferChoice] $MemoryTransfer = $null) {
        $name = [MigrationTools.Engine.Workloads.WorkloadName]::Parse($Workload)
        $plan = [MigrationTools.Engine.Migrations.MigrationPlan]::new($name, $Source, $Destination, $CheckpointMode,
            [MigrationTools.Engine.Preflight.PreflightCheck[]]$Checks, [MigrationTools.Engine.Migrations.DatasetEstimate[]]$Estimates,
            (New-ServiceAddresses $ServiceAddress), $MemoryTransfer)
        $request = Set-RecordProperty -Record ([MigrationTools.Engine.Migrations.MigrationRequest]::new($name, $Source, $Destination)) -Values @{ Settings = $Settings }
        $constructor = [MigrationTools.MigrationPlan].GetConstructors([System.Reflection.BindingFlags]'NonPublic, Instance') |
            Where-Object { $_.GetParameters()[1].ParameterType -eq [MigrationTools.Engine.Migrations.MigrationRequest] }
        $constructor.Invoke(@($plan, $request))
    }

    $check = [MigrationTools.Engine.Preflight.PreflightCheck]
    $failingChecks = @(
        $check::Pass('DistinctHosts', "The workload would move from $longSource to $longDestination.")
        $check::Pass('SourceReachable', "$longSource answers over ssh.", $longSource)
        $check::Pass('DirectBandwidthLimit', "$longSource has pv to hold the stream to 50M/s.", $longSource)
        $check::Fail('TargetFreeSpace', "tank on $longDestination has 1.2 TiB free; the first copy needs about 1023.9 TiB. Free space there or choose another destination.", $longDataset)
        $check::Fail('SourceDatasetExists', "tank/workloads/billing-postgres-primary/wal does not exist on $longSource; create it or remove it from the manifest.", 'tank/workloads/billing-postgres-primary/wal')
        [MigrationTools.Engine.Preflight.PreflightCheck]::new('CriuCpuCompatible', $true, "The CPU of $longDestination has every feature the CPU of $longSource offers.", "$longSource -> $longDestination")
    )
    $estimates = @(
        [MigrationTools.Engine.Migrations.DatasetEstimate]::new((New-Dataset $longDataset), (New-Dataset $longDataset), [long](1023.9 * $TiB), [long](1000.1 * $TiB))
        [MigrationTools.Engine.Migrations.DatasetEstimate]::new((New-Dataset 'tank/workloads/billing-postgres-primary/wal'), (New-Dataset 'tank/workloads/billing-postgres-primary/wal'), -1, -1)
        [MigrationTools.Engine.Migrations.DatasetEstimate]::new((New-Dataset 'tank/web'), (New-Dataset 'tank/web'), 1023, 512)
    )
    # The memory transfers at their longest: a method asked for that the hosts cannot do, and Auto's last resort.
    $choice = [MigrationTools.Engine.Criu.MemoryTransferChoice]
    $refusedPostCopy = $choice::Choose('PostCopy', "$longDestination has no userfaultfd for CRIU (vm.unprivileged_userfaultfd is 0 and CRIU does not run as root).", $null)
    $stopAndCopy = $choice::Choose('Auto', "$longSource cannot make 4 MiB pipes (fs.pipe-max-size is 1048576).", "$longDestination has no soft-dirty tracking.")
    $postCopySettings = [MigrationTools.Engine.Migrations.MigrationSettings]@{ MemoryTransfer = 'PostCopy' }
    $plans = @(
        New-Plan 'billing-postgres-primary' $longSource $longDestination 'Restart' $failingChecks $estimates $wideSettings $longAddresses
        New-Plan 'web' 'h1' 'h2' 'Criu' @($check::Pass('TargetPoolExists', 'Pool tank exists on h2 with 93.1 GiB free.', 'tank')) @($estimates[2]) ([MigrationTools.Engine.Migrations.MigrationSettings]::new()) `
            -MemoryTransfer ($choice::Choose('Auto', $null, $null))
        New-Plan 'cache' $longSource $longDestination 'Criu' @($check::Fail('MemoryTransfer', $refusedPostCopy.Reason, "$longSource -> $longDestination")) @($estimates[2]) $postCopySettings `
            -MemoryTransfer $refusedPostCopy
        New-Plan 'queue' 'h1' $longDestination 'Criu' @($check::Pass('TargetPoolExists', 'Pool tank exists.', 'tank')) @($estimates[2]) ([MigrationTools.Engine.Migrations.MigrationSettings]::new()) `
            -MemoryTransfer $stopAndCopy
        New-Plan 'payments-api' $longSource 'h2' $null @($check::Fail('WorkloadDeclared', "The manifest of payments-api on $longSource cannot be read.", 'payments-api')) @() ([MigrationTools.Engine.Migrations.MigrationSettings]::new())
    )

    # Typical and worst-case objects of every type a view selects; a type without any here fails its tests.
    $samples = @{
        'MigrationTools.Workload'                         = $workloads
        'MigrationTools.Migration'                        = $migrations
        'MigrationTools.MigrationHistoryEntry'            = @($migrations | ForEach-Object { $_.History })
        'MigrationTools.MigrationDataset'                 = @($migrations | ForEach-Object { $_.Datasets })
        'MigrationTools.MigrationPlan'                    = $plans
        'MigrationTools.MigrationDatasetEstimate'         = @($plans | ForEach-Object { $_.Datasets })
        'MigrationTools.Engine.Preflight.PreflightCheck' = @($plans | ForEach-Object { $_.Checks })
    }

    function Get-View([string] $TypeName, [string] $ViewName, [string] $Shape) {
        (Get-FormatData -TypeName $TypeName -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition |
            Where-Object { $_.Name -eq $ViewName -and $_.Control.GetType().Name -eq "${Shape}Control" } | Select-Object -First 1
    }

    # The lines of the view for $Objects at $Width, without the blank lines around it.
    function Format-View($Objects, [string] $Shape, [string] $ViewName, [int] $Width) {
        $formatted = if ($Shape -eq 'Table') { $Objects | Format-Table -View $ViewName } else { $Objects | Format-List -View $ViewName }
        $lines = @(($formatted | Out-String -Width $Width) -split '\r?\n')
        $first = 0
        while ($first -lt $lines.Count -and [string]::IsNullOrWhiteSpace($lines[$first])) { $first++ }
        $last = $lines.Count - 1
        while ($last -ge $first -and [string]::IsNullOrWhiteSpace($lines[$last])) { $last-- }
        if ($last -lt $first) { return @() }
        , @($lines[$first..$last])
    }

    # The text a view entry shows for $Object, computed apart from the formatter: the property or the script block's
    # result, the lines of a multi-line result joined.
    function Get-EntryText($Object, $Entry) {
        $value = if ($Entry.ValueType -eq 'ScriptBlock') { $Object | ForEach-Object -Process ([scriptblock]::Create($Entry.Value)) } else { $Object.($Entry.Value) }
        (@($value) | ForEach-Object {
                if ($null -eq $_) { '' } elseif ($_ -is [System.IFormattable]) { $_.ToString($null, [cultureinfo]::CurrentCulture) } else { "$_" }
            }) -join "`n"
    }

    function Get-Label($Header, $Column) {
        if ($Header.Label) { $Header.Label } else { $Column.DisplayEntry.Value }
    }

    # Where each column of a table lies, found from its label in the header line: a left-aligned column starts at its
    # label, a right-aligned one ends at its label, and a column ends one separator before the next one starts.
    function Get-ColumnSpan([string] $HeaderLine, $Control) {
        $spans = @()
        $lineEnd = 1000000
        $position = 0
        for ($k = 0; $k -lt $Control.Headers.Count; $k++) {
            $header = $Control.Headers[$k]
            $label = Get-Label $header $Control.Rows[0].Columns[$k]
            $at = $HeaderLine.IndexOf($label, $position, [System.StringComparison]::Ordinal)
            if ($at -lt 0) { throw "The header line '$HeaderLine' lacks the label '$label' (or it is out of order)." }
            $alignment = if ("$($header.Alignment)" -ne 'Undefined') { "$($header.Alignment)" } else { "$($Control.Rows[0].Columns[$k].Alignment)" }
            $spans += [pscustomobject]@{ Label = $label; LabelStart = $at; LabelEnd = $at + $label.Length - 1; Right = $alignment -eq 'Right'; Width = $header.Width; Start = -1; End = -1 }
            $position = $at + $label.Length
        }
        for ($k = 0; $k -lt $spans.Count; $k++) {
            $span = $spans[$k]
            if (-not $span.Right) { $span.Start = $span.LabelStart }
            elseif ($span.Width -gt 0) { $span.Start = $span.LabelEnd - $span.Width + 1 }
            elseif ($k -eq 0) { $span.Start = 0 }
            elseif ($spans[$k - 1].Right) { $span.Start = $spans[$k - 1].LabelEnd + 2 }
            else { throw "Column '$($span.Label)' is right-aligned without a width after a left-aligned column; give it a width." }
        }
        for ($k = 0; $k -lt $spans.Count; $k++) {
            $spans[$k].End = if ($k -lt $spans.Count - 1) { $spans[$k + 1].Start - 2 } elseif ($spans[$k].Right) { $spans[$k].LabelEnd } else { $lineEnd }
            if ($spans[$k].Right -and $spans[$k].End -ne $spans[$k].LabelEnd) { throw "Column '$($spans[$k].Label)' does not end at its label." }
        }
        $spans
    }

    function Get-Cell([string[]] $Lines, $Span) {
        (@($Lines | ForEach-Object {
                    if ($_.Length -le $Span.Start) { '' }
                    else { $_.Substring($Span.Start, [math]::Min($_.Length, $Span.End + 1) - $Span.Start) }
                }) -join '')
    }

    function Get-Compact([string] $Text) { $Text -replace '\s', '' }
}

AfterAll {
    $PSStyle.OutputRendering = $savedRendering
    Remove-Item -Path $workDirectory -Recurse -Force -ErrorAction SilentlyContinue
    Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
}

Describe 'The views of the format file' {
    It 'finds every view of the format file in Get-FormatData' -ForEach @(@{ Cases = $viewCases }) {
        $inFile = ([xml](Get-Content -Raw -Path $formatFile)).SelectNodes('//View').Count

        $Cases.Count | Should -Be $inFile
        $Cases.Shape | Sort-Object -Unique | Should -Be @('List', 'Table')
    }

    It 'has typical and worst-case objects for <TypeName>' -ForEach ($viewCases | Sort-Object { $_.TypeName } -Unique) {
        @($samples[$TypeName]).Count | Should -BeGreaterThan 1 -Because "every type a view selects needs sample objects in this file"
        $samples[$TypeName] | ForEach-Object { $_.GetType().FullName | Should -Be $TypeName }
    }
}

Describe 'The <Shape> view of <TypeName>' -ForEach $viewCases {
    BeforeAll {
        $view = Get-View -TypeName $TypeName -ViewName $ViewName -Shape $Shape
        $objects = @($samples[$TypeName])
    }

    It 'fits <Width> columns: no longer line, no cut value, no wrapped header' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $lines = Format-View -Objects $objects -Shape $Shape -ViewName $ViewName -Width $Width

        $lines.Count | Should -BeGreaterThan 2
        @($lines | Where-Object { $_.Length -gt $Width }) | Should -BeNullOrEmpty
        $lines -join "`n" | Should -Not -Match '…'
        if ($Shape -eq 'Table') {
            $lines[1] | Should -Match '^[- ]+$' -Because 'the header takes one line, and the dashes under it the next'
            $spans = Get-ColumnSpan -HeaderLine $lines[0] -Control $view.Control
            $spans.Count | Should -Be $view.Control.Headers.Count
        }
    }

    It 'shows every value in full at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
        $checked = 0
        foreach ($object in $objects) {
            $lines = Format-View -Objects $object -Shape $Shape -ViewName $ViewName -Width $Width
            if ($Shape -eq 'Table') {
                $spans = Get-ColumnSpan -HeaderLine $lines[0] -Control $view.Control
                $row = $lines[2..($lines.Count - 1)]
                for ($k = 0; $k -lt $spans.Count; $k++) {
                    $expected = Get-EntryText -Object $object -Entry $view.Control.Rows[0].Columns[$k].DisplayEntry
                    Get-Compact (Get-Cell -Lines $row -Span $spans[$k]) |
                        Should -BeExactly (Get-Compact $expected) -Because "column $($spans[$k].Label) of $object shows the value in full"
                    $checked++
                }
            }
            else {
                $items = @($view.Control.Entries[0].Items | Where-Object {
                        $null -eq $_.ItemSelectionCondition -or (Get-EntryText -Object $object -Entry $_.ItemSelectionCondition) -eq 'True'
                    })
                $labels = @($items | ForEach-Object { if ($_.Label) { $_.Label } else { $_.DisplayEntry.Value } })
                $labelWidth = ($labels | Measure-Object -Property Length -Maximum).Maximum
                $labelLines = @(for ($k = 0; $k -lt $labels.Count; $k++) {
                        $prefix = $labels[$k].PadRight($labelWidth) + ' :'
                        $at = 0
                        while ($at -lt $lines.Count -and -not $lines[$at].StartsWith($prefix, [System.StringComparison]::Ordinal)) { $at++ }
                        $at | Should -BeLessThan $lines.Count -Because "the label $($labels[$k]) of $object stands whole at the start of its line"
                        $at
                    })
                for ($k = 0; $k -lt $labels.Count; $k++) {
                    $end = if ($k -eq $labels.Count - 1) { $lines.Count - 1 } else { $labelLines[$k + 1] - 1 }
                    $span = [pscustomobject]@{ Start = $labelWidth + 3; End = 1000000 }
                    $expected = Get-EntryText -Object $object -Entry $items[$k].DisplayEntry
                    Get-Compact (Get-Cell -Lines $lines[$labelLines[$k]..$end] -Span $span) |
                        Should -BeExactly (Get-Compact $expected) -Because "$($labels[$k]) of $object shows the value in full"
                    $checked++
                }
            }
        }
        $checked | Should -BeGreaterThan $objects.Count
    }

    It 'uses the room of 120 columns for long content' {
        $narrow = Format-View -Objects $objects -Shape $Shape -ViewName $ViewName -Width 80
        $wide = Format-View -Objects $objects -Shape $Shape -ViewName $ViewName -Width 120

        ($wide | Measure-Object -Property Length -Maximum).Maximum | Should -BeGreaterThan ($narrow | Measure-Object -Property Length -Maximum).Maximum
        $wide.Count | Should -BeLessOrEqual $narrow.Count -Because 'values that wrap at 80 columns take no more lines at 120'
    }
}

Describe 'The tables an operator reads most, at 80 columns' {
    # Beyond 'not cut': host names, ids, sizes and durations stay whole on one line, so they can be read and copied.
    It 'keeps every host name, size and duration of <TypeName> whole on one line' -ForEach @(
        @{ TypeName = 'MigrationTools.Workload' }
        @{ TypeName = 'MigrationTools.Migration' }
        @{ TypeName = 'MigrationTools.MigrationPlan' }
    ) {
        $lines = Format-View -Objects $samples[$TypeName] -Shape 'Table' -ViewName $TypeName -Width 80

        foreach ($object in $samples[$TypeName]) {
            $whole = switch ($TypeName) {
                'MigrationTools.Workload' { $object.ComputerName, $object.Name, [MigrationTools.Engine.Transfer.ByteSize]::Format($object.UsedBytes), "$($object.ProcessId)" }
                'MigrationTools.Migration' {
                    $object.Id, $object.Source, $object.Destination, [MigrationTools.Engine.Transfer.ByteSize]::Format($object.BytesTransferred)
                    if ($null -ne $object.Downtime) { 'downtime ' + [MigrationTools.DurationText]::Format($object.Downtime) }
                }
                'MigrationTools.MigrationPlan' { $object.Source, $object.Destination, [MigrationTools.Engine.Transfer.ByteSize]::Format($object.EstimatedBytes) }
            }
            foreach ($text in $whole | Where-Object { $_ }) {
                @($lines | Where-Object { $_ -match "(^| )$([regex]::Escape($text))( |,|$)" }).Count | Should -BeGreaterThan 0 -Because "'$text' of $object stands whole on a line"
            }
        }
    }

    It 'shows a long route as the source with its arrow over the destination' {
        $lines = Format-View -Objects ($samples['MigrationTools.Migration'] | Where-Object Id -EQ 'm-0123456789ab') -Shape 'Table' -ViewName 'MigrationTools.Migration' -Width 80

        $lines[2] | Should -Match ' db-primary-0123 -> '
        $lines[3].IndexOf('db-replica-0456') | Should -Be $lines[2].IndexOf('db-primary-0123')
        $lines[3] | Should -Match 'downtime 12 min 3 s$'
    }
}
