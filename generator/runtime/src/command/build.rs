//! The clap command made from an [`App`]: the global options, then one subcommand per
//! operation with its flags and `--body`.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches};

use super::{App, Body, Flag, Operation, Target, EXIT_CODES, EXIT_INVALID};

/// Runs clap on the arguments. `Err` is the exit code after clap printed the help, the version
/// or why it refuses them.
pub fn matches<I, T>(command: clap::Command, args: I) -> Result<ArgMatches, ExitCode>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    command.try_get_matches_from(args).map_err(|error| {
        let _ = error.print();
        ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(EXIT_INVALID))
    })
}

/// The clap command: global options, then one subcommand per operation.
pub fn command(app: &'static App) -> clap::Command {
    let mut global = vec![
        Arg::new("base-url")
            .long("base-url")
            .value_name("URL")
            .global(true)
            .help("Send requests to this base URL (a proxy, a mock server) instead of the environment's"),
        Arg::new("dry-run")
            .long("dry-run")
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the request as a curl command, secrets redacted, instead of sending it"),
    ];
    if !app.environments.is_empty() {
        global.push(
            Arg::new("env")
                .long("env")
                .value_name("ENVIRONMENT")
                .global(true)
                .value_parser(PossibleValuesParser::new(app.environments))
                .help("The server to call, one of the spec's environments"),
        );
    }
    let root = clap::Command::new(app.name)
        .version(app.version)
        .about(app.about)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .after_help(format!("{}\n\n{EXIT_CODES}", app.environment_help))
        .args(global)
        .subcommands(app.operations.iter().map(subcommand));
    #[cfg(feature = "mock")]
    let root = root.subcommand(
        clap::Command::new("mock")
            .about("Serve the spec's example responses on 127.0.0.1, checking every request against the spec")
            .arg(
                Arg::new("port")
                    .long("port")
                    .value_name("PORT")
                    .value_parser(clap::value_parser!(u16))
                    .default_value("0")
                    .help("The port to listen on (0: any free port)"),
            ),
    );
    root
}

fn subcommand(operation: &'static Operation) -> clap::Command {
    let flags = operation.flags.iter().map(flag);
    let mut command =
        clap::Command::new(operation.name).about(operation.about).long_about(operation.long_about).args(flags);
    let body = match operation.body {
        Body::None => None,
        Body::Json { required } => Some((
            "The request body as JSON: the text itself, @FILE, or - for standard input; flags set its properties",
            required,
        )),
        Body::Text { required } => {
            Some(("The request body: the text itself, @FILE, or - for standard input", required))
        }
        Body::Bytes { required } => Some(("The request body: @FILE, or - for standard input", required)),
    };
    if let Some((help, required)) = body {
        let help = if required { format!("{help} [required]") } else { help.to_string() };
        command = command.arg(Arg::new("body").long("body").value_name("JSON|@FILE|-").help(help));
    }
    command
}

/// A flag's argument: a switch, a count of items, or a value (repeated for a list).
fn flag(flag: &'static Flag) -> Arg {
    let arg = Arg::new(flag.long).long(flag.long);
    match flag.target {
        Target::Stream | Target::AllPages => return arg.action(ArgAction::SetTrue).help(flag.help),
        Target::MaxItems => {
            return arg.value_name("N").value_parser(clap::value_parser!(u64).range(1..)).help(flag.help);
        }
        Target::Parameter | Target::Body => {}
    }
    let help = if flag.required { format!("{} [required]", flag.help) } else { flag.help.to_string() };
    let mut arg = arg.value_name(flag.kind.value_name()).help(help);
    if flag.list {
        arg = arg.action(ArgAction::Append);
    }
    if !flag.values.is_empty() {
        arg = arg.value_parser(PossibleValuesParser::new(flag.values));
    }
    arg
}
