using Router.Core.Config;

namespace Router.Core.Tests.Config;

public sealed class IncludeTests
{
    [Test]
    public void Ids_defined_twice_across_included_files_point_back_at_the_first_definition()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", "include: parts/*.yaml\nendpoints:\n  archive: { kind: folder, path: ./a }\n")
            .Write("parts/a.yaml", "routes:\n  - { id: copy, from: archive, to: archive }\n")
            .Write("parts/b.yaml", "endpoints:\n  archive: { kind: folder, path: ./b }\nroutes:\n  - { id: copy, from: archive, to: archive }\n");

        var messages = workspace.Load().Diagnostics.Select(d => d.ToString());

        Assert.That(messages, Is.EqualTo(new[]
        {
            "/cfg/parts/b.yaml:2:3: error: endpoint 'archive' is already defined at /cfg/router.yaml:3:3",
            "/cfg/parts/b.yaml:4:11: error: route 'copy' is already defined at /cfg/parts/a.yaml:2:11",
        }));
    }

    [Test]
    public void Nested_includes_are_relative_to_the_file_that_names_them_and_each_file_is_read_once()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", "include: [sub/one.yaml, sub/one.yaml]\n")
            .Write("sub/one.yaml", "include: deeper/*.yaml\nendpoints:\n  one: { kind: folder, path: ./1 }\n")
            .Write("sub/deeper/two.yaml", "include: ../one.yaml\nendpoints:\n  two: { kind: folder, path: ./2 }\n");

        var result = workspace.Load();

        Assert.That(result.Diagnostics, Is.Empty, string.Join("\n", result.Diagnostics));
        Assert.That(result.Config!.Files, Is.EqualTo(new[] { "/cfg/router.yaml", "/cfg/sub/one.yaml", "/cfg/sub/deeper/two.yaml" }));
        Assert.That(result.Config.Endpoints.Select(e => e.Id), Is.EqualTo(new[] { "one", "two" }));
    }

    [Test]
    public void A_glob_matching_nothing_is_a_warning_and_the_configuration_still_loads()
    {
        var result = new ConfigWorkspace().Write("router.yaml", "include: [ \"routes/*.yaml\" ]\n").Load();

        Assert.That(result.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "/cfg/router.yaml:1:12: warning: include pattern 'routes/*.yaml' matches no file (folder /cfg/routes does not exist)",
        }));
        Assert.That(result.HasErrors, Is.False);
        Assert.That(result.Config, Is.Not.Null);
    }

    [Test]
    public void A_named_file_that_does_not_exist_is_an_error()
    {
        var result = new ConfigWorkspace().Write("router.yaml", "include: partners.yaml\n").Load();

        Assert.That(result.Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "/cfg/router.yaml:1:10: error: included file 'partners.yaml' does not exist (looked for /cfg/partners.yaml)",
        }));
        Assert.That(result.Config, Is.Null);
    }

    [Test]
    public void Router_settings_in_an_included_file_are_an_error()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", "include: extra.yaml\n")
            .Write("extra.yaml", "router:\n  logging: { level: debug }\n");

        Assert.That(workspace.Load().Diagnostics.Select(d => d.ToString()), Is.EqualTo(new[]
        {
            "/cfg/extra.yaml:1:1: error: 'router' may only be set in the main file (/cfg/router.yaml)",
        }));
    }

    [Test]
    public void Paths_in_diagnostics_follow_how_the_main_file_was_named()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", "include: parts/*.yaml\n")
            .Write("parts/a.yaml", "endpoints:\n  x: { kind: folder }\n");
        workspace.Files.Directory.SetCurrentDirectory("/cfg");

        var result = workspace.Loader().Load("router.yaml");

        Assert.That(result.Diagnostics.Single().ToString(), Is.EqualTo("parts/a.yaml:2:6: error: missing required key 'path' in 'x'"));
    }

    [Test]
    public void An_absolute_include_is_shown_as_written()
    {
        var workspace = new ConfigWorkspace()
            .Write("router.yaml", "include: /shared/*.yaml\n");
        workspace.Files.AddFile("/shared/partners.yaml", new System.IO.Abstractions.TestingHelpers.MockFileData("endpoints:\n  p: { kind: folder }\n"));

        var result = workspace.Load();

        Assert.That(result.Diagnostics.Single().ToString(), Is.EqualTo("/shared/partners.yaml:2:6: error: missing required key 'path' in 'p'"));
    }
}
