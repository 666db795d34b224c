// Types of bench/hostile-shapes.mjs for the tests that import it.
import type { CandidateSummary, CrosswalkDocument, TrainingCatalogue, Vacancy } from '@skillpass/match';

export function concept(name: string): string;
export function crosswalkChain(n: number): CrosswalkDocument;
export function crosswalkExactChain(n: number): CrosswalkDocument;
export function crosswalkFan(tops: number, leaves: number): CrosswalkDocument;
export function crosswalkDeep(chains: number, depth: number): CrosswalkDocument;
export function crosswalkGroups(groups: number, size: number): CrosswalkDocument;
export function vacancyOf(uris: string[]): Vacancy;
export function poolHolding(n: number, uris: string[]): CandidateSummary[];
export function catalogueChain(n: number): TrainingCatalogue;
export function catalogueCycle(n: number): TrainingCatalogue;
export function catalogueChains(chains: number, length: number, gaps: number): TrainingCatalogue;
