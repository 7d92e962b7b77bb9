using System.Diagnostics;
using Nono.Proxy;
using Nono.Supervisor.Env;
using Nono.Supervisor.Profiles;

namespace Nono.Supervisor.Tests;

public sealed class ChildEnvironmentTests
{
    private static readonly KeyValuePair<string, string>[] ProxyVars =
    [
        new("HTTPS_PROXY", "http://nono:tok@127.0.0.1:4000"),
        new("HTTP_PROXY", "http://nono:tok@127.0.0.1:4000"),
        new("NONO_PROXY_TOKEN", "tok"),
    ];

    private static Dictionary<string, string> Build(
        IEnumerable<KeyValuePair<string, string>> inherited,
        EnvironmentSettings? settings = null,
        IReadOnlyList<RouteConfig>? routes = null,
        IEnumerable<KeyValuePair<string, string>>? proxy = null,
        IEnumerable<KeyValuePair<string, string>>? credentials = null,
        bool hostNetwork = false) =>
        ChildEnvironmentBuilder.Build(new ChildEnvironmentRequest
        {
            Inherited = inherited,
            Settings = settings ?? EnvironmentSettings.Empty,
            Routes = routes ?? [],
            ProxyVariables = proxy ?? ProxyVars,
            CredentialVariables = credentials ?? [],
            KeepCallerProxyVariables = hostNetwork,
        }).ToDictionary();

    private static KeyValuePair<string, string> Var(string name, string value = "v") => new(name, value);

    public static TheoryData<string> InjectionVectors =>
    [
        "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "LD_DEBUG", "DYLD_INSERT_LIBRARIES", "GLIBC_TUNABLES", "GCONV_PATH",
        "OPENSSL_CONF", "BASH_ENV", "ENV", "BASH_FUNC_ls%%", "SHELLOPTS", "PS4", "PROMPT_COMMAND", "ZDOTDIR", "IFS",
        "NODE_OPTIONS", "NODE_PATH", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONUSERBASE", "PYTHONINSPECT",
        "PYTHONBREAKPOINT", "PERL5OPT", "PERL5LIB", "PERLLIB", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS", "CLASSPATH", "DOTNET_STARTUP_HOOKS", "DOTNET_ADDITIONAL_DEPS", "CORECLR_ENABLE_PROFILING",
        "CORECLR_PROFILER_PATH", "GIT_CONFIG_COUNT", "GIT_CONFIG_KEY_0", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_GLOBAL",
        "GIT_EXEC_PATH", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_EXTERNAL_DIFF",
    ];

    [Theory]
    [MemberData(nameof(InjectionVectors))]
    public void Each_injection_vector_is_removed_and_cannot_be_set_by_a_profile(string name)
    {
        var env = Build([Var(name), Var("KEEP_ME", "1")]);

        Assert.False(env.ContainsKey(name));
        Assert.Equal("1", env["KEEP_ME"]);
        Assert.Equal(VariableKind.CodeInjection, VariableRules.Match(name)?.Kind);
        Assert.Contains("cannot be set by a profile", ChildEnvironmentBuilder.RefusalForSetVar(name, new HashSet<string>()));
    }

    [Theory]
    [InlineData("SSH_AUTH_SOCK")]
    [InlineData("DBUS_SESSION_BUS_ADDRESS")]
    [InlineData("GPG_AGENT_INFO")]
    [InlineData("DISPLAY")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("AWS_SESSION_TOKEN")]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("ANTHROPIC_API_KEY")]
    [InlineData("PGPASSWORD")]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS")]
    [InlineData("DATABASE_URL")]
    public void Ambient_credentials_and_secret_looking_variables_are_removed_unless_allowed_by_exact_name(string name)
    {
        Assert.False(Build([Var(name)]).ContainsKey(name));
        Assert.False(Build([Var(name)], new EnvironmentSettings { AllowVars = [name[..3] + "*"] }).ContainsKey(name));
        Assert.Equal("v", Build([Var(name)], new EnvironmentSettings { AllowVars = [name] })[name]);
    }

    [Theory]
    [InlineData("redis://:pw@cache:6379/0", true)]
    [InlineData("postgres://app:pw@db/app", true)]
    [InlineData("see amqp://u:p@broker and more", true)]
    [InlineData("https://user@example.com/", false)]
    [InlineData("redis://cache:6379/0", false)]
    [InlineData("http://[::1]:8080/a:b@c", false)]
    [InlineData("no url at all: a:b@c", false)]
    public void A_url_with_a_password_is_recognised_in_any_value(string value, bool expected) =>
        Assert.Equal(expected, VariableRules.EmbedsPassword(value));

    [Theory]
    [InlineData("DB_PASS")]
    [InlineData("GITHUB_PAT")]
    [InlineData("npm_config__authToken")]
    [InlineData("AZURE_STORAGE_CONNECTION_STRING")]
    [InlineData("SENTRY_DSN")]
    [InlineData("SLACK_WEBHOOK_URL")]
    [InlineData("DOCKER_AUTH_CONFIG")]
    public void Short_and_service_specific_secret_names_are_secrets(string name) =>
        Assert.Equal(VariableKind.Secret, VariableRules.Match(name)?.Kind);

    [Fact]
    public void Brokered_credential_values_never_reach_the_child()
    {
        var routes = new[]
        {
            new RouteConfig { Prefix = "/openai", Upstream = "https://api.openai.com", CredentialKey = "env://MY_OPENAI_SECRET", EnvVar = "OPENAI_API_KEY" },
            new RouteConfig { Prefix = "/svc", Upstream = "https://svc.example.com", CredentialKey = "env://SVC_REAL", BaseUrlEnvVar = "SVC_URL" },
        };
        var inherited = new[]
        {
            Var("MY_OPENAI_SECRET", "sk-real-1"), Var("OPENAI_API_KEY", "sk-real-2"), Var("OPENAI_BASE_URL", "https://elsewhere"),
            Var("SVC_REAL", "real-3"), Var("SVC_URL", "https://elsewhere"), Var("EDITOR", "vi"),
        };
        var settings = new EnvironmentSettings { AllowVars = ["MY_OPENAI_SECRET", "SVC_REAL", "EDITOR"] };

        var env = Build(inherited, settings, routes, credentials: [Var("OPENAI_API_KEY", "phantom"), Var("OPENAI_BASE_URL", "http://127.0.0.1:4000/openai")]);

        Assert.DoesNotContain(env.Values, v => v.StartsWith("sk-real", StringComparison.Ordinal) || v == "real-3");
        Assert.Equal("phantom", env["OPENAI_API_KEY"]);
        Assert.Equal("http://127.0.0.1:4000/openai", env["OPENAI_BASE_URL"]);
        Assert.False(env.ContainsKey("SVC_URL"));
        Assert.Equal("vi", env["EDITOR"]);
    }

    [Fact]
    public void The_callers_proxy_settings_are_replaced_by_the_proxys()
    {
        var env = Build([Var("https_proxy", "http://corp:3128"), Var("NO_PROXY", "*"), Var("npm_config_proxy", "http://corp:3128"), Var("NONO_PROXY_TOKEN", "old")]);

        Assert.False(env.ContainsKey("https_proxy"));
        Assert.False(env.ContainsKey("NO_PROXY"));
        Assert.False(env.ContainsKey("npm_config_proxy"));
        Assert.Equal("tok", env["NONO_PROXY_TOKEN"]);
        Assert.Equal("http://nono:tok@127.0.0.1:4000", env["HTTPS_PROXY"]);
    }

    [Fact]
    public void In_host_network_mode_the_callers_proxy_settings_are_kept() =>
        Assert.Equal("http://corp:3128", Build([Var("HTTPS_PROXY", "http://corp:3128")], proxy: [], hostNetwork: true)["HTTPS_PROXY"]);

    [Fact]
    public void Trust_variables_are_replaced_as_a_set_when_the_proxy_intercepts()
    {
        var inherited = new[] { Var("SSL_CERT_DIR", "/etc/ssl/certs"), Var("NODE_EXTRA_CA_CERTS", "/home/u/corp.pem") };

        var plain = Build(inherited);
        var intercepting = Build(inherited, proxy: [.. ProxyVars, Var("SSL_CERT_FILE", "/run/nono/bundle.pem")]);

        Assert.Equal("/home/u/corp.pem", plain["NODE_EXTRA_CA_CERTS"]);
        Assert.False(intercepting.ContainsKey("SSL_CERT_DIR"));
        Assert.False(intercepting.ContainsKey("NODE_EXTRA_CA_CERTS"));
        Assert.Equal("/run/nono/bundle.pem", intercepting["SSL_CERT_FILE"]);
    }

    [Fact]
    public void Allow_vars_is_an_allowlist_over_a_baseline_and_deny_wins()
    {
        var inherited = new[] { Var("PATH", "/usr/bin"), Var("LC_ALL", "C"), Var("MY_A", "1"), Var("MY_B", "2"), Var("OTHER", "3") };

        var env = Build(inherited, new EnvironmentSettings { AllowVars = ["MY_*"], DenyVars = ["MY_B", "LC_*"] });

        Assert.Equal(["HTTPS_PROXY", "HTTP_PROXY", "MY_A", "NONO_PROXY_TOKEN", "PATH"], env.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Set_vars_are_applied_and_the_result_is_sorted_and_unique()
    {
        var result = ChildEnvironmentBuilder.Build(new ChildEnvironmentRequest
        {
            Inherited = [Var("B", "old"), Var("A", "1")],
            Settings = new EnvironmentSettings { SetVars = [Var("B", "new"), Var("C", "3")] },
        });

        Assert.Equal(["A=1", "B=new", "C=3"], result.Select(p => $"{p.Key}={p.Value}"));
    }

    [Fact]
    public void Set_vars_naming_an_injection_vector_is_refused_with_its_location()
    {
        using var host = new TestHost();
        var path = host.WriteUserProfile("p", "{\"environment\": {\"set_vars\": {\n  \"NODE_OPTIONS\": \"--require /tmp/x.js\"}}}");

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Profile = "p" }));

        Assert.StartsWith($"{path}:2:3: environment.set_vars: 'NODE_OPTIONS' cannot be set by a profile", error.Message);
        Assert.DoesNotContain("/tmp/x.js", error.Message);
    }

    [Fact]
    public void Allowing_a_brokered_variable_is_an_error()
    {
        using var host = new TestHost();

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { Credentials = ["openai"], AllowVars = ["OPENAI_API_KEY"] }));

        Assert.Contains("'OPENAI_API_KEY' is brokered by a credential route", error.Message);
    }

    [Fact]
    public void Errors_from_the_env_flag_do_not_echo_the_value()
    {
        using var host = new TestHost();

        var error = Assert.Throws<ProfileException>(() => host.Resolve(new SessionFlags { SetVars = ["LD_PRELOAD=/secret/evil.so"] }));

        Assert.DoesNotContain("/secret/evil.so", error.Message);
    }

    [Fact]
    public void A_real_child_sees_exactly_the_built_environment()
    {
        using var host = new TestHost();
        var settings = host.Resolve(new SessionFlags { Credentials = ["openai"], SetVars = ["FROM_PROFILE=yes"] });
        var inherited = new[]
        {
            Var("PATH", "/usr/bin:/bin"), Var("HOME", host.Home), Var("LD_PRELOAD", "/nonexistent/evil.so"),
            Var("OPENAI_API_KEY", "sk-real-value"), Var("AWS_SECRET_ACCESS_KEY", "aws-real-value"), Var("http_proxy", "http://corp:3128"),
            Var("ORDINARY", "kept"),
        };

        var env = settings.BuildChildEnvironment(inherited, ProxyVars, [Var("OPENAI_API_KEY", "phantom-token"), Var("OPENAI_BASE_URL", "http://127.0.0.1:4000/openai")]);
        var start = new ProcessStartInfo("/usr/bin/env") { RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var (key, value) in env)
        {
            start.Environment[key] = value;
        }

        using var child = Process.Start(start)!;
        var seen = child.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList();
        child.WaitForExit();

        Assert.Equal(0, child.ExitCode);
        Assert.Equal(env.Select(p => $"{p.Key}={p.Value}").Order(StringComparer.Ordinal), seen);
        Assert.Contains("OPENAI_API_KEY=phantom-token", seen);
        Assert.Contains("FROM_PROFILE=yes", seen);
        Assert.Contains("ORDINARY=kept", seen);
        Assert.DoesNotContain(seen, line => line.Contains("real-value", StringComparison.Ordinal) || line.StartsWith("LD_", StringComparison.Ordinal) || line.StartsWith("http_proxy", StringComparison.Ordinal));
    }
}
