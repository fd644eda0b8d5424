# Shared by the Pester files that drive the lab (sudo tests/lab/lab.sh up). Dot-source it in BeforeDiscovery and in
# BeforeAll. The lab's state directory is $env:MT_LAB_STATE (default /var/lib/migrationtools-lab); its ssh_config names
# the hosts h1..hN.

function Get-LabSshConfigPath {
    $state = if ($env:MT_LAB_STATE) { $env:MT_LAB_STATE } else { '/var/lib/migrationtools-lab' }
    Join-Path -Path $state -ChildPath 'ssh_config'
}

# ssh options for the tests' own commands on the hosts: when Invoke-PesterSuite names a control directory
# ($env:MT_PESTER_SSH_CONTROL), they share one connection per host, as a new one costs the lab about a tenth of a
# second and the lab files run hundreds of commands. The engine's connections are its own, never these.
function Get-LabSshOption {
    if ($env:MT_PESTER_SSH_CONTROL) {
        '-o', 'ControlMaster=auto', '-o', "ControlPath=$env:MT_PESTER_SSH_CONTROL/%C", '-o', 'ControlPersist=600s'
    }
}

# True when the lab's h1 answers over ssh. Outside CI a lab that does not answer skips the lab tests; with CI=true
# they must run, so this throws instead and the run fails, naming the reason.
function Test-LabAnswers {
    $config = Get-LabSshConfigPath
    $reason = $null
    if (-not (Get-Command -Name 'ssh' -ErrorAction SilentlyContinue)) {
        $reason = 'the OpenSSH client (ssh) is not on PATH'
    }
    elseif (-not (Test-Path -Path $config)) {
        $reason = "there is no lab ssh_config at $config (bring the lab up: sudo tests/lab/lab.sh up)"
    }
    else {
        $output = & ssh -F $config -o ConnectTimeout=5 -o BatchMode=yes h1 true 2>&1
        if ($LASTEXITCODE -ne 0) {
            $reason = "h1 did not answer through $config (exit code $LASTEXITCODE): $output"
        }
    }

    if ($null -eq $reason) {
        return $true
    }

    if ($env:CI -eq 'true') {
        throw "CI=true but the lab Pester tests cannot run: $reason"
    }

    Write-Host "Lab Pester tests skipped: $reason"
    return $false
}
