//! The functions the engine runs: COUNT, MIN and MAX (aggregates, collected into the
//! compiler's list), element_at, json_format(CAST(x AS JSON)), from_iso8601_timestamp, coalesce,
//! lower and upper, and Athena's try, strpos, json_extract_scalar, contains (CIDR) and
//! regexp_like. Any other name fails the query the way Trino does ("not registered").

use super::compile::{clip, unsupported, AggKind, Aggregate, Compiler, Expr, Lit};
use sqlparser::ast::{self, DuplicateTreatment, FunctionArg, FunctionArgExpr, FunctionArguments};

impl Compiler<'_> {
    pub(super) fn function(
        &mut self,
        f: &ast::Function,
        aggs: bool,
        depth: usize,
    ) -> Result<Expr, String> {
        let name = f.name.to_string().to_lowercase();
        let FunctionArguments::List(list) = &f.args else {
            return Err(unsupported(format!("`{}`", clip(&f.to_string()))));
        };
        if f.over.is_some()
            || f.filter.is_some()
            || !f.within_group.is_empty()
            || !list.clauses.is_empty()
        {
            return Err(unsupported(format!("`{}`", clip(&f.to_string()))));
        }
        let distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
        let star = matches!(
            list.args.as_slice(),
            [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]
        );
        let kind = match name.as_str() {
            "count" => Some(AggKind::Count),
            "min" => Some(AggKind::Min),
            "max" => Some(AggKind::Max),
            _ => None,
        };
        if let Some(kind) = kind {
            if !aggs {
                return Err(format!(
                    "`{}`: aggregate functions are not allowed here",
                    clip(&f.to_string())
                ));
            }
            let arg = match (star, kind) {
                (true, AggKind::Count) => None,
                _ => Some(self.one_arg(&name, &list.args, depth)?),
            };
            let agg = Aggregate {
                kind,
                arg,
                distinct,
            };
            let at = match self.aggregates.iter().position(|a| *a == agg) {
                Some(at) => at,
                None => {
                    self.aggregates.push(agg);
                    self.aggregates.len() - 1
                }
            };
            return Ok(Expr::Aggregate(at));
        }
        let mut args = Vec::with_capacity(list.args.len());
        for a in &list.args {
            match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(x)) => {
                    args.push(self.at(x, aggs, depth)?)
                }
                _ => return Err(unsupported(format!("`{}`", clip(&f.to_string())))),
            }
        }
        let given = args.len();
        let arity = |n: usize| {
            if given == n {
                Ok(())
            } else {
                Err(format!("{name} takes {n} argument(s), {given} given"))
            }
        };
        if name == "coalesce" {
            // Trino wants at least one argument, of one type; the fake checks only the count.
            return match given {
                0 => Err("coalesce takes at least 1 argument(s), 0 given".to_string()),
                _ => Ok(Expr::Coalesce(args)),
            };
        }
        let mut args = args.into_iter();
        let mut next = || Box::new(args.next().unwrap_or(Expr::Literal(Lit::Null)));
        Ok(match name.as_str() {
            "element_at" => {
                arity(2)?;
                Expr::ElementAt(next(), next())
            }
            "json_format" => {
                arity(1)?;
                match *next() {
                    json @ Expr::CastJson(_) => json,
                    _ => {
                        return Err(
                            "json_format expects JSON: json_format(CAST(x AS JSON))".to_string()
                        )
                    }
                }
            }
            "from_iso8601_timestamp" => {
                arity(1)?;
                Expr::CastTime(next())
            }
            "lower" => {
                arity(1)?;
                Expr::Lower(next())
            }
            "upper" => {
                arity(1)?;
                Expr::Upper(next())
            }
            "try" => {
                arity(1)?;
                Expr::Try(next())
            }
            "strpos" => {
                arity(2)?;
                Expr::Strpos(next(), next())
            }
            "contains" => {
                arity(2)?;
                Expr::Contains(next(), next())
            }
            "regexp_like" => {
                arity(2)?;
                let text = next();
                match *next() {
                    Expr::Literal(Lit::Str(p)) => {
                        let re = regex::Regex::new(&p)
                            .map_err(|e| format!("regexp_like: {}", clip(&e.to_string())))?;
                        Expr::RegexpLike(text, super::compile::Pattern(std::sync::Arc::new(re)))
                    }
                    _ => return Err("regexp_like's pattern must be a string literal".into()),
                }
            }
            "json_extract_scalar" => {
                arity(2)?;
                let json = next();
                match *next() {
                    Expr::Literal(Lit::Str(path)) => Expr::JsonScalar(json, json_path(&path)?),
                    _ => return Err("json_extract_scalar's path must be a string literal".into()),
                }
            }
            _ => return Err(format!("Function '{}' not registered", clip(&name))),
        })
    }

    /// The one argument of an aggregate, compiled where aggregates may not nest.
    fn one_arg(&mut self, name: &str, args: &[FunctionArg], depth: usize) -> Result<Expr, String> {
        match args {
            [FunctionArg::Unnamed(FunctionArgExpr::Expr(x))] => self.at(x, false, depth),
            _ => Err(format!("{name} takes one argument")),
        }
    }
}

/// `$.a.b` → `["a", "b"]`: the member paths trailscope's statements use (no subscripts,
/// wildcards or quoted names, which the fake refuses rather than misreads).
fn json_path(path: &str) -> Result<Vec<String>, String> {
    let members = path
        .strip_prefix("$.")
        .ok_or_else(|| unsupported(format!("the JSON path {}", clip(path))))?;
    let names: Vec<String> = members.split('.').map(str::to_string).collect();
    let plain = |n: &String| !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_');
    match names.iter().all(plain) {
        true => Ok(names),
        false => Err(unsupported(format!("the JSON path {}", clip(path)))),
    }
}
