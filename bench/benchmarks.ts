// The benchmarks `npm run bench` runs (bench/<name>.ts), in the order the speed issue reads them.
export const BENCHMARKS = [
  'cli-start',
  'verify-lock',
  'run-proxy',
  'pathological',
  'many-tools',
  'call-safety',
  'registry-reads',
  'registry-scale',
  'registry-publish',
] as const;
