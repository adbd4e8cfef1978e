// node scripts/bench/rss.mjs <bin> [args…]: run the CLI in this very process and report its
// peak resident set size on stderr at exit (used by the bench when /usr/bin/time is absent).
import { pathToFileURL } from 'node:url';

const [bin, ...rest] = process.argv.slice(2);
process.argv = [process.argv[0], bin, ...rest];
process.on('exit', () => process.stderr.write(`rvlms-bench-maxrss-kb=${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(bin).href);
