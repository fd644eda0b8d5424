# Helpers for Pester files that move counter services on the lab (tests/lab/lab.sh up), dot-sourced in their
# BeforeAll. They read $sshConfig (the lab's ssh_config) from the caller's scope. A counter service runs on h1 with a
# dataset, a port and a manifest of its own; it answers with its counter, the token it drew when it started (the same
# token after a move proves it was restored, not restarted) and its host's name.

$labManifestDirectory = '/etc/migrationtools/workloads'
$labCounterScript = (Resolve-Path -Path (Join-Path $PSScriptRoot '../lab/workloads/counter.py')).Path

function Invoke-Lab {
    param([string] $HostName, [string] $CommandLine, [string] $InputText)
    $output = if ($PSBoundParameters.ContainsKey('InputText')) {
        $InputText | & ssh -F $sshConfig @(Get-LabSshOption) $HostName $CommandLine 2>&1
    }
    else {
        & ssh -F $sshConfig @(Get-LabSshOption) $HostName $CommandLine 2>&1
    }

    [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n").Trim() }
}

# With -HealthCommand the workload's health is that command (3 s to pass) instead of its port answering.
function New-LabCounter {
    param([string] $Name, [string[]] $HealthCommand)
    $service = [pscustomobject]@{
        Name    = $Name
        Dataset = "tank/$Name"
        Port    = Get-Random -Minimum 20000 -Maximum 30000
    }
    $created = Invoke-Lab -HostName h1 -CommandLine "zfs create $($service.Dataset)"
    if ($created.ExitCode -ne 0) {
        throw "Could not create $($service.Dataset) on h1: $($created.Output)"
    }

    $copied = Invoke-Lab -HostName h1 -CommandLine "cat > /$($service.Dataset)/counter.py" -InputText (Get-Content -Raw -Path $labCounterScript)
    if ($copied.ExitCode -ne 0) {
        throw "Could not copy the counter service to h1: $($copied.Output)"
    }

    $health = if ($HealthCommand) { @{ HealthCommand = $HealthCommand; HealthTimeoutSeconds = 3 } } else { @{ HealthPort = $service.Port } }
    Register-Workload -SshConfigFile $sshConfig @health -ComputerName h1 -Name $Name -Dataset $service.Dataset -Confirm:$false `
        -Command 'python3', "/$($service.Dataset)/counter.py", '--data-dir', "/$($service.Dataset)", '--port', "$($service.Port)" `
        -WorkingDirectory "/$($service.Dataset)" -ErrorAction Stop
    Start-Workload -SshConfigFile $sshConfig -ComputerName h1 -Name $Name -Confirm:$false -ErrorAction Stop
    $null = Wait-LabCounter -Service $service -OnHost h1
    $service
}

# The service's answer on a host's own 127.0.0.1, read on that host over ssh (each lab host has a network of its own,
# so this machine cannot reach a host's loopback); $null when nothing answers there. bash's /dev/tcp needs no client in
# the host image; a frozen listener accepts but never answers, hence the timeout.
function Read-LabCounter {
    param($Service, [string] $HostName)
    $request = "exec 3<>/dev/tcp/127.0.0.1/$($Service.Port) 2>/dev/null || exit 7; " +
        "printf 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3; timeout 3 cat <&3"
    $answer = Invoke-Lab -HostName $HostName -CommandLine $request
    $parts = $answer.Output -split "\r?\n\r?\n", 2
    if ($answer.ExitCode -ne 0 -or $parts.Count -ne 2 -or $parts[0] -notlike 'HTTP/1.0 200*') {
        return $null
    }

    $parts[1] | ConvertFrom-Json
}

# Waits until the service answers (on -OnHost, or on whichever of h1 and h2 runs it) and returns its state. Throws when
# it answers on both hosts: it must run once.
function Wait-LabCounter {
    param($Service, [string] $OnHost)
    $hosts = if ($OnHost) { @($OnHost) } else { @('h1', 'h2') }
    $deadline = [datetime]::UtcNow.AddSeconds(20)
    while ($true) {
        $states = @($hosts | ForEach-Object { Read-LabCounter -Service $Service -HostName $_ } | Where-Object { $null -ne $_ })
        if ($states.Count -gt 1) {
            throw "$($Service.Name) answers on $(($states | ForEach-Object hostname) -join ' and ')."
        }

        if ($states.Count -eq 1) {
            return $states[0]
        }

        if ([datetime]::UtcNow -gt $deadline) {
            throw "$($Service.Name) does not answer on $($hosts -join ' or ')."
        }

        Start-Sleep -Milliseconds 100
    }
}

# How many processes of the service run on a host (each host has a process namespace of its own): a move that was
# stopped must leave the service's processes on exactly one host. The pattern is anchored at the interpreter, so the
# shell that runs the loop, whose command line holds the pattern too, does not count itself.
function Get-LabCounterProcessCount {
    param([string] $HostName, $Service)
    $list = Invoke-Lab -HostName $HostName -CommandLine "for p in /proc/[0-9]*; do case `$(tr '\000' ' ' 2>/dev/null < `$p/cmdline) in 'python3 /$($Service.Dataset)/counter.py '*) echo `${p#/proc/};; esac; done"
    # Only PID lines count: Invoke-Lab merges standard error into the output.
    @($list.Output -split "`n" | Where-Object { $_ -match '^\d+$' }).Count
}

function Get-LabWorkloadState {
    param([string] $HostName, $Service)
    "$((Get-Workload -SshConfigFile $sshConfig -ComputerName $HostName -Name $Service.Name -ErrorAction SilentlyContinue).State)"
}

# Fills the service's dataset with random data, so that copying it at a capped rate lasts a few seconds.
function Add-LabCounterData {
    param($Service, [int] $MiB)
    $filled = Invoke-Lab -HostName h1 -CommandLine "head -c $($MiB)M /dev/urandom > /$($Service.Dataset)/fill.bin && sync"
    if ($filled.ExitCode -ne 0) {
        throw "Could not fill $($Service.Dataset): $($filled.Output)"
    }
}

# Ends the service wherever it runs (also a tree restored without its PID file), releases the migrations' holds, and
# removes its datasets, manifests, claim and checkpoint images on h1 and h2, or on the hosts -HostName names.
function Remove-LabCounter {
    param($Service, [string[]] $HostName = @('h1', 'h2'))
    $cleanup = @'
name=__NAME__; ds=__DATASET__
for p in /proc/[0-9]*; do
  case $(tr '\000' ' ' 2>/dev/null < $p/cmdline) in *"/$ds/counter.py "*) kill -KILL ${p#/proc/};; esac
done
rm -f __MANIFESTS__/$name.json __MANIFESTS__/$name.migration
rm -rf /run/migrationtools/images/$name-m-* /run/migrationtools/workloads/$name
for s in $(zfs list -H -o name -t snapshot -r $ds 2>/dev/null); do t=${s#*@}; zfs release ${t%-*} $s 2>/dev/null; done
for i in $(seq 20); do zfs list $ds >/dev/null 2>&1 || exit 0; zfs destroy -r $ds 2>/dev/null && exit 0; sleep 0.5; done
'@ -replace '__NAME__', $Service.Name -replace '__DATASET__', $Service.Dataset -replace '__MANIFESTS__', $labManifestDirectory
    foreach ($name in $HostName) {
        Invoke-Lab -HostName $name -CommandLine $cleanup | Out-Null
    }
}
