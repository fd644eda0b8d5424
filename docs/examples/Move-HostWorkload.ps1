<#
.SYNOPSIS
    Moves the workloads of a host to another host, unattended: for a scheduler, a maintenance window or a drain.

.DESCRIPTION
    Tests each workload's migration first (Test-Migration) and moves only those whose plan passed, by piping the plan
    into Move-Workload, so every move runs with the settings it was tested with. Workloads whose migration policy is
    Manual are skipped unless -Force is given. One result object per workload is written to the output and, with
    -JsonPath, to a JSON file; nothing prompts (-Confirm:$false throughout), so it runs under pwsh -NonInteractive.

    Exit codes: 0 when every workload moved (or was skipped), 1 when any was refused or failed (its result says why,
    with the error identifier), 2 when the host's workloads could not be listed.

.EXAMPLE
    pwsh -NonInteractive -File Move-HostWorkload.ps1 -ComputerName host-a -Destination host-b -JsonPath /var/log/drain-host-a.json

    Drains host-a to host-b and keeps the results as JSON.

.EXAMPLE
    ./Move-HostWorkload.ps1 -ComputerName host-a -Destination host-b -Name web, db -Complete

    Moves two workloads and completes their migrations, destroying their datasets on host-a.
#>
[CmdletBinding()]
param(
    # The host the workloads run on.
    [Parameter(Mandatory)]
    [string] $ComputerName,

    # The host they move to.
    [Parameter(Mandatory)]
    [string] $Destination,

    # The workloads to move; every workload declared on the host when not given (a drain).
    [string[]] $Name,

    # Complete each migration after its switch (the source's datasets are destroyed).
    [switch] $Complete,

    # Move workloads whose migration policy is Manual too.
    [switch] $Force,

    # End the frozen source tree before the restore, for hosts that share a network namespace.
    [switch] $ReleaseSourceBeforeRestore,

    # Where to write the results as JSON; nothing is written when not given.
    [string] $JsonPath,

    # The journal of the migrations; the module's default when not given.
    [string] $JournalPath,

    # The ssh_config to reach the hosts with; ~/.ssh/config when not given.
    [string] $SshConfigFile,

    # The module to import: its name, or the path of its manifest.
    [string] $ModulePath = 'MigrationTools'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Import-Module -Name $ModulePath

$connection = @{}
if ($SshConfigFile) { $connection.SshConfigFile = $SshConfigFile }
$journal = @{}
if ($JournalPath) { $journal.JournalPath = $JournalPath }

function New-Result {
    param([string] $Workload, [string] $Result, $Migration, [System.Management.Automation.ErrorRecord] $ErrorRecord, [string] $Reason)
    [pscustomobject]@{
        Workload    = $Workload
        Source      = $ComputerName
        Destination = $Destination
        Result      = $Result
        MigrationId = if ($Migration) { $Migration.Id } else { $null }
        State       = if ($Migration) { "$($Migration.State)" } else { $null }
        Downtime    = if ($Migration -and $Migration.Downtime) { $Migration.Downtime.TotalSeconds } else { $null }
        ErrorId     = if ($ErrorRecord) { $ErrorRecord.FullyQualifiedErrorId } else { $null }
        Message     = if ($ErrorRecord) { $ErrorRecord.Exception.Message } else { $Reason }
    }
}

# The workloads to move: the ones named, or every workload the host declares.
try {
    $workloads = if ($Name) {
        $Name | ForEach-Object { [pscustomobject]@{ Name = $_; MigrationPolicy = $null } }
    }
    else {
        @(Get-Workload @connection -ComputerName $ComputerName)
    }
}
catch {
    Write-Error -ErrorRecord $_ -ErrorAction Continue
    exit 2
}

$results = foreach ($workload in $workloads) {
    if ("$($workload.MigrationPolicy)" -eq 'Manual' -and -not $Force) {
        New-Result -Workload $workload.Name -Result 'Skipped' -Reason 'Its migration policy is Manual; give -Force to move it too.'
        continue
    }

    try {
        $plan = Test-Migration @connection @journal -ComputerName $ComputerName -Name $workload.Name -Destination $Destination `
            -ReleaseSourceBeforeRestore:$ReleaseSourceBeforeRestore -Force:$Force
        # A plan that failed is refused by Move-Workload (MigrationPlanFailed, naming its failed checks); one that passed
        # is moved with the settings it was tested with, and checked again as the migration begins.
        $migration = $plan | Move-Workload @connection @journal -Complete:$Complete -Confirm:$false
        New-Result -Workload $workload.Name -Result 'Moved' -Migration $migration
    }
    catch {
        $failed = $_.TargetObject -as [MigrationTools.Migration]
        $result = if ($_.FullyQualifiedErrorId -like 'MigrationPlanFailed,*' -or $_.FullyQualifiedErrorId -like 'MigrationRefused,*') { 'Refused' } else { 'Failed' }
        New-Result -Workload $workload.Name -Result $result -Migration $failed -ErrorRecord $_
    }
}

$results = @($results)
if ($JsonPath) {
    ConvertTo-Json -InputObject $results -Depth 3 | Set-Content -Path $JsonPath -Encoding utf8
}

$results
exit $(if ($results | Where-Object Result -NotIn 'Moved', 'Skipped') { 1 } else { 0 })
