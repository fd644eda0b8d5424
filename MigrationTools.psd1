# Module manifest for MigrationTools.
# ModuleVersion is not edited here: every build copies it from VersionPrefix in Directory.Build.props.
@{
    RootModule           = 'Module/bin/MigrationTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5839b132-e301-4fad-995e-59235e358a89'
    Author               = 'MigrationTools contributors'
    CompanyName          = 'MigrationTools'
    Copyright            = 'Copyright (c) 2026 MigrationTools contributors'
    Description          = 'Moves running Linux workloads between hosts: the process tree through CRIU checkpoint and restore, its ZFS datasets through zfs send/receive over SSH.'
    # The engine starts ssh with an argument list (ProcessStartInfo.ArgumentList), which .NET Framework lacks, and
    # relies on System.Text.Json 8 from the runtime: PowerShell 7.4 (on .NET 8) or later.
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')

    FormatsToProcess     = @('Module/MigrationTools.format.ps1xml')
    TypesToProcess       = @('Module/MigrationTools.types.ps1xml')

    # Explicit lists: PowerShell can then discover the commands without loading the module.
    CmdletsToExport      = @(
        'Complete-Migration'
        'Get-Migration'
        'Get-Workload'
        'Move-Workload'
        'Register-Workload'
        'Start-Migration'
        'Start-Workload'
        'Stop-Migration'
        'Stop-Workload'
        'Switch-Migration'
        'Sync-Migration'
        'Test-Migration'
        'Undo-Migration'
        'Unregister-Workload'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('Linux', 'ZFS', 'CRIU', 'Migration', 'SSH', 'LiveMigration')
            ReleaseNotes = 'Workload cmdlets: Get-Workload, Register-Workload, Start-Workload, Stop-Workload and Unregister-Workload. Migration cmdlets: Move-Workload, Test-Migration, Start-Migration, Sync-Migration, Switch-Migration, Complete-Migration, Undo-Migration, Stop-Migration and Get-Migration, with progress, -WhatIf and -Confirm, a journal of every migration, and completion of -Id from it. -AsJob on Move-Workload and the phase cmdlets (MigrationJob), and Test-Migration plans piped into Start-Migration and Move-Workload. Views that fit 80 columns, completion of -ComputerName from ssh_config, and full help (Get-Help, about_MigrationTools). Requires PowerShell 7.4 or later.'
        }
    }
}
