/**
 * XFetch, the probabilistic early refresh of Vattani, Chierichetti and Lowenstein ("Optimal
 * Probabilistic Cache Stampede Prevention", VLDB 2015). Each reader rolls a die: the closer the
 * entry is to its expiry, and the longer a rebuild takes (`deltaMs`), the likelier it is to
 * volunteer for an early rebuild. A hot key is therefore rebuilt by one reader shortly before it
 * expires, instead of by everybody at once just after. `beta` > 1 refreshes earlier, < 1 later.
 */
export function shouldRefreshEarly(
  { now, freshUntil, deltaMs }: { now: number; freshUntil: number; deltaMs: number },
  beta = 1,
  random: () => number = Math.random,
): boolean {
  // -log(random()) is an exponential variable (mean 1): usually small, now and then large.
  return now - deltaMs * beta * Math.log(random()) >= freshUntil;
}
