/**
 * Edit distance between names, for "did you mean" fixes: Levenshtein with adjacent transpositions counted as
 * one edit (optimal string alignment), since `Kye` for `Key` is one slip of the fingers, not two.
 */
export function editDistance(a: string, b: string): number {
    const rows = a.length + 1;
    const columns = b.length + 1;
    const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: columns }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < columns; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.length][b.length];
}

/**
 * The candidates close enough to `name` to be what was meant, nearest first (ties by name), ignoring case:
 * one edit for names of up to five characters, two beyond, and none for a single character (`x` is not a
 * misspelt `y`).
 */
export function nearestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
    const allowed = name.length < 2 ? 0 : name.length < 6 ? 1 : 2;
    const scored = new Map<string, number>();
    for (const candidate of candidates) {
        if (candidate === name || scored.has(candidate) || Math.abs(candidate.length - name.length) > allowed) continue;
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (distance <= allowed) scored.set(candidate, distance);
    }
    return [...scored].sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0])).slice(0, limit).map(([candidate]) => candidate);
}
