// Input shapes a hostile user sends to matching (issue 14, section 2), at a given size: the
// crosswalk chain that made route reconstruction quadratic, the prerequisite chain that made the
// greedy cover super-linear and blew the recursive cycle check, and the widest and deepest
// shapes the caps still accept. Plain JSON documents, shared by `pnpm bench hostile-inputs`
// and packages/match/test/hostile-inputs.test.ts (types in hostile-shapes.d.mts).

/** A concept URI of the hostile shapes. */
export const concept = (name) => `https://hostile.example/skill/${name}`;

/** `n` narrower relations in one chain: c0 is broadest, c<n> the narrowest. */
export function crosswalkChain(n) {
  const narrower = [];
  for (let i = 0; i < n; i++)
    narrower.push({ narrower: { uri: concept(`c${i + 1}`) }, broader: { uri: concept(`c${i}`) } });
  return { narrower };
}

/** `n` exactMatch pairs in one chain (c0 = c1, c1 = c2, ...): 2n relations. */
export function crosswalkExactChain(n) {
  const exactMatch = [];
  for (let i = 0; i < n; i++)
    exactMatch.push({ concepts: [{ uri: concept(`c${i}`) }, { uri: concept(`c${i + 1}`) }] });
  return { exactMatch };
}

/**
 * `tops` broad concepts, each broader than one middle concept that is broader than all `leaves`:
 * every top is satisfied by every leaf (tops + leaves + 0 relations, routes of 2 steps).
 */
export function crosswalkFan(tops, leaves) {
  const narrower = [];
  for (let t = 0; t < tops; t++)
    narrower.push({ narrower: { uri: concept('middle') }, broader: { uri: concept(`top${t}`) } });
  for (let l = 0; l < leaves; l++)
    narrower.push({ narrower: { uri: concept(`leaf${l}`) }, broader: { uri: concept('middle') } });
  return { narrower };
}

/** `chains` separate chains of `depth` narrower relations: chain k runs from d<k>_0 down to d<k>_<depth>. */
export function crosswalkDeep(chains, depth) {
  const narrower = [];
  for (let k = 0; k < chains; k++) {
    for (let i = 0; i < depth; i++) {
      narrower.push({
        narrower: { uri: concept(`d${k}_${i + 1}`) },
        broader: { uri: concept(`d${k}_${i}`) },
      });
    }
  }
  return { narrower };
}

/** `groups` exactMatch groups of `size` concepts each (g<k>_0 .. g<k>_<size-1>). */
export function crosswalkGroups(groups, size) {
  const exactMatch = [];
  for (let k = 0; k < groups; k++) {
    exactMatch.push({ concepts: Array.from({ length: size }, (_, i) => ({ uri: concept(`g${k}_${i}`) })) });
  }
  return { exactMatch };
}

/** A vacancy requiring each of `uris` (required, level 3). */
export function vacancyOf(uris) {
  return {
    title: 'hostile',
    requirements: uris.map((uri, i) => ({ uri, name: `skill ${i}`, importance: 'required', minLevel: 3 })),
  };
}

/** `n` candidate summaries, each holding `uris` at level 4, assessed on 2026-01-01. */
export function poolHolding(n, uris) {
  return Array.from({ length: n }, (_, i) => ({
    id: `cand-${String(i).padStart(6, '0')}`,
    skills: uris.map((uri) => ({ uri, level: 4, assessedOn: '2026-01-01' })),
  }));
}

/** `n` modules in one prerequisite chain: m<i> needs m<i-1>; m<i> teaches t<i> at level 3. */
export function catalogueChain(n) {
  return {
    modules: Array.from({ length: n }, (_, i) => ({
      id: `m${i}`,
      title: `module ${i}`,
      hours: 1 + (i % 7),
      teaches: [{ uri: concept(`t${i}`), level: 3 }],
      ...(i === 0 ? {} : { prerequisites: [`m${i - 1}`] }),
    })),
  };
}

/** `n` modules whose prerequisites form one cycle. */
export function catalogueCycle(n) {
  const chain = catalogueChain(n);
  chain.modules[0].prerequisites = [`m${n - 1}`];
  return chain;
}

/**
 * `chains` prerequisite chains of `length` modules; only a chain's last module teaches a skill
 * the vacancy asks for (gap<k mod gaps>), so every greedy round weighs whole chains.
 */
export function catalogueChains(chains, length, gaps) {
  const modules = [];
  for (let k = 0; k < chains; k++) {
    for (let i = 0; i < length; i++) {
      const last = i === length - 1;
      modules.push({
        id: `c${k}-${i}`,
        title: `chain ${k} step ${i}`,
        hours: 1 + ((k + i) % 5),
        teaches: [{ uri: last ? concept(`gap${k % gaps}`) : concept(`basics${k}_${i}`), level: 3 }],
        ...(i === 0 ? {} : { prerequisites: [`c${k}-${i - 1}`] }),
      });
    }
  }
  return { modules };
}
