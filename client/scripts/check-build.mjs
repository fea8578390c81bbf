// Builds the client into a temporary directory and compares it with the committed
// assets/dist, file by file. The Go binary embeds assets/dist, so a stale build would ship
// an old client: this fails with the names of the files that differ.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const committed = join(repo, 'assets/dist');
const fresh = mkdtempSync(join(tmpdir(), 'nappe-build-'));

function list(dir) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

try {
  const vite = join(repo, 'node_modules/.bin/vite');
  const r = spawnSync(vite, ['build', '--config', 'client/vite.config.ts', '--outDir', fresh, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: repo,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    console.error('check:build: the build failed');
    process.exit(1);
  }
  const a = list(committed);
  const b = list(fresh);
  const missing = b.filter((f) => !a.includes(f));
  const extra = a.filter((f) => !b.includes(f));
  const changed = b.filter((f) => a.includes(f) && !readFileSync(join(committed, f)).equals(readFileSync(join(fresh, f))));
  if (missing.length || extra.length || changed.length) {
    console.error('check:build: assets/dist does not match client/ — run `npm run build` and commit assets/dist.');
    for (const f of missing) console.error(`  missing from assets/dist: ${f}`);
    for (const f of extra) console.error(`  in assets/dist but not built: ${f}`);
    for (const f of changed) console.error(`  differs: ${f}`);
    process.exit(1);
  }
  console.log(`check:build: assets/dist matches client/ (${b.length} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
