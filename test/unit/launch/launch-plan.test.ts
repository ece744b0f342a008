// The environment a pinned server starts with: the base variables, the lock's passEnv names (only when the
// caller has them), the manifest's declared variables; required secrets refuse to start unless it is pin
// time, where the missing ones are collected so the caller can name them if the server then fails.
import { describe, expect, it } from 'vitest';
import { planEnvironment } from '../../../core/launch/launch-plan.ts';
import { expectCode } from '../../helpers/expect-code.ts';

const caller = { PATH: '/bin', REGION: 'eu', DEBUG: '1', TOKEN: 't' };

describe('planEnvironment', () => {
  it('passes the lock’s passEnv names from the caller, and no other undeclared variable', () => {
    const plan = planEnvironment([], { callerEnv: caller, passEnv: ['REGION', 'ABSENT'] });
    expect(plan.env).toEqual({ PATH: '/bin', REGION: 'eu' });
    expect(plan.secretNames).toEqual(['REGION', 'ABSENT']);
    // Benign twin: without passEnv nothing undeclared passes.
    expect(planEnvironment([], { callerEnv: caller }).env).toEqual({ PATH: '/bin' });
  });

  it('refuses a missing required secret at run time, and only collects it at pin time', () => {
    const vars = [{ name: 'API_KEY', isSecret: true, isRequired: true }];
    expectCode(() => planEnvironment(vars, { callerEnv: caller }), 'SECRET_MISSING');
    const pinTime = planEnvironment(vars, { callerEnv: caller, skipMissingSecrets: true });
    expect(pinTime.missingSecrets).toEqual(['API_KEY']);
    expect(pinTime.env).toEqual({ PATH: '/bin' });
    const set = planEnvironment(vars, { callerEnv: { ...caller, API_KEY: 'k' }, skipMissingSecrets: true });
    expect(set).toMatchObject({ env: { PATH: '/bin', API_KEY: 'k' }, missingSecrets: [] });
  });
});
