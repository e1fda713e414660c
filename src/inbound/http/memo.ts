/**
 * `f`, remembering its last argument and result: for work on a value that is
 * nearly always the same, such as a deployment's one encrypt key or
 * verification token, which every event would otherwise hash again.
 */
export function rememberLast<A, R>(f: (arg: A) => R): (arg: A) => R {
  let last: { arg: A; result: R } | undefined;
  return (arg) => {
    if (last?.arg !== arg) last = { arg, result: f(arg) };
    return last.result;
  };
}
