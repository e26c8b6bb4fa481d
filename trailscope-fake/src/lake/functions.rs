//! The functions the engine runs: COUNT, MIN and MAX (aggregates, collected into the
//! compiler's list), element_at, json_format(CAST(x AS JSON)), from_iso8601_timestamp, coalesce,
//! lower and upper. Any other name fails the query the way Trino does ("not registered").

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
