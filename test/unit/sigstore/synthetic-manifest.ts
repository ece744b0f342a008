// Small, valid manifests for signature tests: a remote-only server (no npm package, so no network) with a
// pinned surface built by the real core functions. `variant` changes the content so two manifests differ.

import type { JsonObject } from '../../../core/json/strict-json.ts';
import { buildManifest, type McpLockManifest } from '../../../core/manifest/manifest.ts';
import { pinSurface } from '../../../core/surface/pin.ts';

export function syntheticManifest(variant = 'a', version = '1.0.0'): McpLockManifest {
  const tools: JsonObject[] = [
    {
      name: 'get_forecast',
      description: `Forecast for a city (${variant}).`,
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
    { name: 'get_alerts', description: 'Weather alerts for a US state.', inputSchema: { type: 'object' } },
  ];
  return buildManifest({
    server: {
      name: 'io.github.acme/weather',
      description: 'Weather forecasts over Streamable HTTP.',
      version,
      remotes: [{ type: 'streamable-http', url: 'https://weather.example.com/mcp' }],
    },
    surface: pinSurface({
      protocolVersion: '2025-11-25',
      instructions: 'Use get_forecast for forecasts.',
      tools,
      prompts: [{ name: 'summarize', description: 'Summarize the forecast.' }],
      resources: [],
      resourceTemplates: [{ uriTemplate: 'weather://city/{name}', name: 'city' }],
    }),
  });
}
