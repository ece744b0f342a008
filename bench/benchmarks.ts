// The benchmarks `npm run bench` runs (bench/<name>.ts), in the order the speed issue reads them.
export const BENCHMARKS = [
  'cli-start',
  'verify-lock',
  'run-proxy',
  'proxy-cpu',
  'pathological',
  'many-tools',
  'scan-benign',
  'call-safety',
  'registry-reads',
  'registry-scale',
  'registry-publish',
] as const;
