#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Get-Help on every cmdlet the module exports, against the cmdlet itself: the help the build generates from
# docs/en-US into en-US/ must describe every parameter as the cmdlet declares it (mandatory, position, pipeline input,
# type, aliases), so help that drifts from the code fails here. Needs a built module (dotnet build MigrationTools.sln).

BeforeDiscovery {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    Import-Module -Name $manifestPath -Force -ErrorAction Stop

    # -WhatIf and -Confirm are documented on each page; only the common parameters are described once, by PowerShell.
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
    $cmdlets = @(
        Get-Command -Module 'MigrationTools' -CommandType Cmdlet | Sort-Object -Property Name | ForEach-Object {
            $cmdletName = $_.Name
            @{
                Name       = $cmdletName
                Parameters = @(
                    $_.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object | ForEach-Object {
                        @{ Name = $cmdletName; Parameter = $_ }
                    }
                )
            }
        }
    )

    Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
}

BeforeAll {
    $manifestPath = (Resolve-Path -Path (Join-Path $PSScriptRoot '../../MigrationTools.psd1')).Path
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    # The text of a help element (a description, a synopsis): its paragraphs, or the text itself.
    function Get-HelpText {
        param($Element)

        (@($Element) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n"
    }

    # How the help writes a parameter's pipeline input: False, or True (ByPropertyName, ByValue) in any order.
    function Get-PipelineInputKind {
        param([string] $Text)

        if ($Text -eq 'False') {
            return @()
        }

        $Text | Should -Match '^True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\)$'
        @(($Text -replace '^True \(|\)$' -split ', ') | Sort-Object)
    }
}

AfterAll {
    Remove-Module -Name 'MigrationTools' -Force -ErrorAction SilentlyContinue
}

Describe 'The help of <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command -Name $Name -Module 'MigrationTools' -CommandType Cmdlet
        $help = Get-Help -Name $Name -Full
    }

    It 'comes from the module''s help file' {
        # Without a help file, Get-Help makes a page of the syntax alone, with no description.
        $help.ModuleName | Should -Be 'MigrationTools'
        Get-HelpText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'has a synopsis that is not the syntax' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match ([regex]::Escape("$Name ["))
    }

    It 'has a description' {
        (Get-HelpText $help.description).Length | Should -BeGreaterThan 40
    }

    It 'has a syntax for each parameter set, naming its parameters' {
        $syntaxItems = @($help.syntax.syntaxItem)
        $syntaxItems.Count | Should -Be $command.ParameterSets.Count

        $documented = @($syntaxItems | ForEach-Object { (@($_.parameter.name) | Sort-Object) -join ' ' } | Sort-Object)
        $declared = @(
            $command.ParameterSets | ForEach-Object {
                (@($_.Parameters.Name | Where-Object { $_ -notin $commonParameters }) | Sort-Object) -join ' '
            } | Sort-Object
        )
        $documented | Should -Be $declared
    }

    It 'documents exactly the cmdlet''s parameters' {
        $declared = @($command.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object)

        @($help.parameters.parameter.name | Sort-Object) | Should -Be $declared
    }

    It 'names its input types, each described or followed by one that is' {
        $inputs = @($help.inputTypes.inputType)
        $inputs.Count | Should -BeGreaterThan 0
        $inputs | ForEach-Object { $_.type.name | Should -Not -BeNullOrEmpty }
        # Types documented together share the description of the last one.
        Get-HelpText $inputs[-1].description | Should -Not -BeNullOrEmpty
    }

    It 'names its output types, as the cmdlet declares them' {
        $outputs = @($help.returnValues.returnValue | ForEach-Object { $_.type.name })
        $declared = @($command.OutputType.Name | ForEach-Object { if ($_ -eq 'System.Void') { 'None' } else { $_ } } | Sort-Object -Unique)

        $outputs | Should -Not -BeNullOrEmpty
        if ($declared.Count -gt 0) {
            @($outputs | Sort-Object -Unique) | Should -Be $declared
        }
        else {
            $outputs | Should -Be 'None'
        }
    }

    It 'has notes' {
        Get-HelpText $help.alertSet.alert | Should -Not -BeNullOrEmpty
    }

    It 'has examples, each with code that runs <Name> and remarks' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        $examples | ForEach-Object {
            $_.title | Should -Match 'Example \d+'
            $_.code | Should -Match ([regex]::Escape($Name))
            Get-HelpText $_.remarks | Should -Not -BeNullOrEmpty
        }
    }

    It 'shows its examples with Get-Help -Examples' {
        $examples = @($help.examples.example)
        $text = Get-Help -Name $Name -Examples | Out-String -Width 250

        $text | Should -Match ([regex]::Escape($help.Synopsis.Split("`n")[0]))
        $examples | ForEach-Object {
            $text | Should -Match ([regex]::Escape($_.title))
            $text | Should -Match ([regex]::Escape($_.code.Split("`n")[0]))
        }
        # -Examples leaves the parameters out.
        $text | Should -Not -MatchExactly '(?m)^PARAMETERS'
    }

    It 'has related links' {
        @($help.relatedLinks.navigationLink.linkText) | Should -Contain 'about_MigrationTools'
    }

    Context 'Parameter -<Parameter>' -ForEach $Parameters {
        BeforeAll {
            $metadata = $command.Parameters[$Parameter]
            $sets = @($metadata.ParameterSets.Values)
            $parameterHelp = @($help.parameters.parameter | Where-Object { $_.name -eq $Parameter })
        }

        It 'is documented once, with a description' {
            $parameterHelp.Count | Should -Be 1
            (Get-HelpText $parameterHelp[0].description).Length | Should -BeGreaterThan 10
        }

        It 'has the type the cmdlet declares' {
            $type = $metadata.ParameterType
            if ($type.IsGenericType -and $type.GetGenericTypeDefinition() -eq [System.Nullable`1]) {
                $type = $type.GetGenericArguments()[0]
            }

            $parameterHelp[0].type.name | Should -Be $type.Name
        }

        It 'is required as the cmdlet declares it' {
            [bool]::Parse($parameterHelp[0].required) | Should -BeIn @($sets.IsMandatory)
        }

        It 'has the position the cmdlet declares' {
            $positions = @($sets | ForEach-Object { if ($_.Position -ge 0) { "$($_.Position)" } else { 'named' } })

            $parameterHelp[0].position | Should -BeIn $positions
        }

        It 'takes pipeline input as the cmdlet declares it' {
            $declared = @(
                if ($sets.ValueFromPipelineByPropertyName -contains $true) { 'ByPropertyName' }
                if ($sets.ValueFromPipeline -contains $true) { 'ByValue' }
            )

            @(Get-PipelineInputKind $parameterHelp[0].pipelineInput) | Should -Be $declared
        }

        It 'has the aliases the cmdlet declares' {
            $declared = if ($metadata.Aliases.Count -eq 0) { 'none' } else { ($metadata.Aliases | Sort-Object) -join ', ' }

            ((@($parameterHelp[0].aliases -split ', ') | Sort-Object) -join ', ') | Should -Be $declared
        }

        It 'accepts wildcards only when the cmdlet says so' {
            $supportsWildcards = [bool]@($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })

            [bool]::Parse($parameterHelp[0].globbing) | Should -Be $supportsWildcards
        }

        It 'has a default value' {
            "$($parameterHelp[0].defaultValue)" | Should -Not -BeNullOrEmpty
        }

        It 'is shown by Get-Help -Parameter' {
            $shown = Get-Help -Name $Name -Parameter $Parameter

            $shown.name | Should -Be $Parameter
            Get-HelpText $shown.description | Should -Be (Get-HelpText $parameterHelp[0].description)
        }
    }
}

Describe 'The about topic' {
    It 'is found by Get-Help about_MigrationTools' {
        $topic = Get-Help -Name 'about_MigrationTools' | Out-String

        $topic | Should -Match '(?m)^TOPIC\s+about_MigrationTools'
        $topic | Should -Match '(?m)^SHORT DESCRIPTION\s+\S'
        $topic | Should -Match '(?m)^LONG DESCRIPTION\s+\S'
        $topic | Should -Match '(?m)^SEE ALSO'
    }

    It 'explains service addresses: what moves when, and what -TcpEstablished changes for established connections' {
        $topic = Get-Help -Name 'about_MigrationTools' | Out-String
        $section = [regex]::Match($topic, '(?ms)^SERVICE ADDRESSES$.*?(?=^[A-Z][A-Z ]+$)').Value

        $section | Should -Not -BeNullOrEmpty
        foreach ($word in 'ADDRESS/PREFIX@INTERFACE', 'released', 'arping', 'Undo-Migration', 'Complete-Migration', 'Stop-Migration', 'Test-Migration', 'MigrationRefused', '--tcp-established', 'locked', 'reconnect') {
            $section | Should -Match ([regex]::Escape($word)) -Because "the section covers $word"
        }
        # The text is wrapped, so a phrase may break across lines.
        foreach ($phrase in 'ServiceAddressInterface', 'ServiceAddressFree', 'MAC', 'before it freezes', 'arping -U', 'lock time', 'python3') {
            $section | Should -Match ([regex]::Escape($phrase) -replace '\\ ', '\s+') -Because "the section covers $phrase"
        }
        $topic | Should -Match 'InvalidServiceAddress'
        $topic | Should -Match 'ServiceAddressFailed'
    }

    It 'contrasts the default undo with -KeepChanges' {
        $topic = Get-Help -Name 'about_MigrationTools' | Out-String
        $section = [regex]::Match($topic, '(?ms)^UNDO$.*?(?=^[A-Z][A-Z ]+$)').Value

        $section | Should -Not -BeNullOrEmpty
        foreach ($phrase in 'discards', '-KeepChanges', '--keep-changes', 'as it runs now', 'memory', '-TcpEstablished', 'established connections', 'MigrationRefused') {
            $section | Should -Match ([regex]::Escape($phrase) -replace '\\ ', '\s+') -Because "the section covers $phrase"
        }
    }

    It 'is listed by Get-Help about_*' {
        @(Get-Help -Name 'about_*' | Where-Object { $_.Name -eq 'about_MigrationTools' }).Count | Should -Be 1
    }

    It 'is text wrapped for the console, except for code' {
        $path = Join-Path (Get-Module -Name 'MigrationTools').ModuleBase 'en-US/about_MigrationTools.help.txt'
        $lines = Get-Content -Path $path

        @($lines | Where-Object { $_.Length -gt 80 -and $_ -notmatch '^ {8}' }) | Should -BeNullOrEmpty
    }
}

Describe 'The help of service addresses' {
    It 'describes -ServiceAddress of Register-Workload with its form and its error' {
        $text = Get-HelpText (Get-Help -Name 'Register-Workload' -Parameter 'ServiceAddress').description

        $text | Should -Match 'ADDRESS/PREFIX@INTERFACE'
        $text | Should -Match 'InvalidServiceAddress'
    }

    It 'has an example of Register-Workload with -ServiceAddress' {
        @((Get-Help -Name 'Register-Workload' -Examples).examples.example.code) -match '-ServiceAddress 10\.0\.0\.80/24@eth0' | Should -Not -BeNullOrEmpty
    }

    It 'says what -TcpEstablished of <Name> does for connections to a service address, with it and without' -ForEach @(
        @{ Name = 'Move-Workload' }
        @{ Name = 'Start-Migration' }
    ) {
        $text = Get-HelpText (Get-Help -Name $Name -Parameter 'TcpEstablished').description

        $text | Should -Match 'survive\s+a\s+live\s+move'
        $text | Should -Match 'established\s+connections\s+are\s+closed'
    }

    It 'names ServiceAddresses among the output of <Name>' -ForEach @(
        @{ Name = 'Get-Workload' }
        @{ Name = 'Get-Migration' }
        @{ Name = 'Test-Migration' }
    ) {
        Get-HelpText (Get-Help -Name $Name).returnValues.returnValue.description | Should -Match 'ServiceAddresses'
    }
}
