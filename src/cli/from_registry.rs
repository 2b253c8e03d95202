//! The command line's parts that come from the vendor registry rather than from
//! enums that would mirror it: every vendor's credential flags, `--vendor`, `--ack` and
//! `--print-schema`. They are built when the command line is, so a vendor registered
//! before parsing (`vendors::register`) is offered like a built-in one.

use std::path::PathBuf;

/// The credentials given on the command line or in the environment, for every credential
/// the registry's vendors declare (see `credentials::CredentialSpec`). Never required on the
/// command line: each has a variable, and secrets can come from files.
#[derive(Debug, Clone, Default)]
pub(crate) struct CredentialArgs {
    /// (the vendor's spec, value or path) as given; a file flag's value is a path.
    pub(crate) given: Vec<(&'static crate::credentials::CredentialSpec, GivenArg)>,
}

/// A credential value as clap read it: still unread and unparsed.
#[derive(Debug, Clone)]
pub(crate) enum GivenArg {
    Value(String),
    File(PathBuf),
}

/// The id clap knows a secret's file flag by.
fn file_arg_id(spec: &crate::credentials::CredentialSpec) -> String {
    format!("{}-file", spec.id)
}

impl clap::Args for CredentialArgs {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        use crate::credentials::CredentialKind;
        for vendor in crate::vendors::all() {
            for spec in vendor.credentials() {
                let value_name = match spec.kind {
                    CredentialKind::Secret => "S",
                    CredentialKind::PrivateKey | CredentialKind::PublicKey => "PATH",
                };
                let arg = clap::Arg::new(spec.id)
                    .long(spec.flag)
                    .value_name(value_name)
                    .env(spec.env)
                    .hide_env_values(spec.kind == CredentialKind::Secret)
                    .help(spec.help)
                    .help_heading("Credentials");
                cmd = cmd.arg(match spec.kind {
                    CredentialKind::Secret => arg,
                    CredentialKind::PrivateKey | CredentialKind::PublicKey => {
                        arg.value_parser(clap::value_parser!(PathBuf))
                    }
                });
                // No `conflicts_with`: clap counts the variable as the flag, so an exported
                // secret would make every file flag a usage error.
                if let Some(file_flag) = spec.file_flag {
                    cmd = cmd.arg(
                        clap::Arg::new(file_arg_id(spec))
                            .long(file_flag)
                            .value_name("PATH")
                            .value_parser(clap::value_parser!(PathBuf))
                            .help(spec.file_help)
                            .help_heading("Credentials"),
                    );
                }
            }
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for CredentialArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let mut given = Vec::new();
        for vendor in crate::vendors::all() {
            for spec in vendor.credentials() {
                // The file flag wins over the value and the variable.
                let file = spec
                    .file_flag
                    .and_then(|_| matches.get_one::<PathBuf>(&file_arg_id(spec)).cloned());
                if let Some(path) = file {
                    given.push((*spec, GivenArg::File(path)));
                } else if spec.kind == crate::credentials::CredentialKind::Secret {
                    if let Some(value) = matches.get_one::<String>(spec.id) {
                        given.push((*spec, GivenArg::Value(value.clone())));
                    }
                } else if let Some(path) = matches.get_one::<PathBuf>(spec.id) {
                    given.push((*spec, GivenArg::File(path.clone())));
                }
            }
        }
        Ok(CredentialArgs { given })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// A vendor named on the command line; the possible values are the registry's ids.
#[derive(Clone, Copy)]
pub(crate) struct VendorArg(pub(crate) &'static dyn crate::vendors::Vendor);

impl std::fmt::Debug for VendorArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.id())
    }
}

impl PartialEq for VendorArg {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

/// Parses `--vendor`: built from the registry when the command line is, so `--help`, a
/// wrong value's error and the completions list exactly the registered vendors.
#[derive(Clone)]
pub(crate) struct VendorParser;

impl clap::builder::TypedValueParser for VendorParser {
    type Value = VendorArg;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<VendorArg, clap::Error> {
        let ids: Vec<&'static str> = crate::vendors::all().iter().map(|v| v.id()).collect();
        clap::builder::PossibleValuesParser::new(ids).parse_ref(cmd, arg, value)?;
        let id = value.to_string_lossy();
        crate::vendors::by_id(&id)
            .map(VendorArg)
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidValue).with_cmd(cmd))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            crate::vendors::all()
                .iter()
                .map(|v| clap::builder::PossibleValue::new(v.id())),
        ))
    }
}

/// `replay --ack`'s values: every acknowledgement rule in the vendor registry, each with
/// whose default it is.
pub(super) fn ack_values() -> clap::builder::PossibleValuesParser {
    let values = crate::replay::ack::choices()
        .into_iter()
        .map(|(id, help)| clap::builder::PossibleValue::new(id).help(help));
    clap::builder::PossibleValuesParser::new(values)
}

/// The JSON Schemas cbtool ships (`cbtool validate --print-schema NAME`): built from the
/// registry when the command line is, so `--help`, a wrong name's error and the
/// completions list exactly the vendors' schemas, each with its summary.
pub(super) fn schema_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(
        crate::vendors::schemas()
            .map(|s| clap::builder::PossibleValue::new(s.name).help(s.summary)),
    )
}
