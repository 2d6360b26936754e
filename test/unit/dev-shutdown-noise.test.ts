import { resolve } from 'node:path';
import { ManagedProcess } from '../../scripts/cluster/process';
import { temporalShutdownNoise } from '../../scripts/dev/temporal-shutdown-noise';
import { devTemporalPorts } from '../../scripts/dev/temporal-server';

// Lines the Temporal server v1.32.2 printed after npm run dev's Ctrl-C (frontend on 17733), stack traces cut.
const RECORDED = {
  dial: '{"level":"warn","ts":"2026-12-03T09:01:04.919Z","msg":"network dial error","service":"client","address":"membership://frontend~0x2eea60941770","totalDuration":0.000391149,"error":"dial tcp 127.0.0.1:17733: connect: connection refused","error-type":"net.OpError","connectDuration":0.000372621,"connectAddr":"127.0.0.1:17733","connectErr":"dial tcp 127.0.0.1:17733: connect: connection refused","logging-call-at":"go.temporal.io/server@v1.32.2/common/rpc/dial_tracer.go:73"}',
  dialHistory: '{"level":"warn","ts":"2026-12-03T09:01:05.929Z","msg":"network dial error","service":"client","address":"127.0.0.1:17734","totalDuration":0.000232076,"error":"dial tcp 127.0.0.1:17734: connect: connection refused","error-type":"net.OpError","connectDuration":0.000226428,"connectAddr":"127.0.0.1:17734","connectErr":"dial tcp 127.0.0.1:17734: connect: connection refused","logging-call-at":"go.temporal.io/server@v1.32.2/common/rpc/dial_tracer.go:73"}',
  poll: '{"level":"warn","ts":"2026-12-03T09:01:05.923Z","msg":"Failed to poll for task.","WorkerType":"WorkflowWorker","Error":"closing transport due to: connection error: desc = \\"error reading from server: EOF\\", received prior goaway: code: NO_ERROR, debug data: \\"graceful_stop\\"","logging-call-at":"go.temporal.io/sdk@v1.44.0/internal/internal_worker_base.go:519"}',
  userData: '{"level":"error","ts":"2026-12-03T09:01:05.937Z","msg":"error fetching user data from parent","component":"matching-engine","wf-task-queue-name":"temporal-sys-delete-namespace-activity-tq","wf-task-queue-type":"Activity","wf-namespace":"temporal-system","error":"Not enough hosts to serve the request","logging-call-at":"go.temporal.io/server@v1.32.2/service/matching/user_data_manager.go:331","stacktrace":"go.temporal.io/server/common/log.(*zapLogger).Error"}',
  nexus: '{"level":"error","ts":"2026-12-03T09:01:05.936Z","msg":"Failed to check Nexus endpoints ownership","component":"matching-engine","error":"cannot resolve Nexus endpoints partition owner: Not enough hosts to serve the request","logging-call-at":"go.temporal.io/server@v1.32.2/service/matching/matching_engine.go:2959","stacktrace":"go.temporal.io/server/common/log.(*zapLogger).Error"}',
};
const noise = temporalShutdownNoise(devTemporalPorts(17733));

describe('the Temporal server\'s orderly-stop lines', () => {
  it.each(Object.entries(RECORDED))('recognises the recorded %s line', (_name, line) => {
    expect(noise(line)).toBe(true);
  });

  it('keeps everything else: another address, another error, another message, another level, plain text', () => {
    const others = [
      RECORDED.dial.replaceAll('127.0.0.1:17733', '10.0.0.5:5432'), // the database, not the server itself
      RECORDED.dial.replaceAll('connect: connection refused', 'i/o timeout'),
      RECORDED.poll.replace('graceful_stop', 'max_age'),
      RECORDED.userData.replace('Not enough hosts to serve the request', 'context deadline exceeded'),
      RECORDED.userData.replace('"level":"error"', '"level":"fatal"'),
      RECORDED.nexus.replace('Failed to check Nexus endpoints ownership', 'Failed to load Nexus endpoints'),
      'All services are stopped.',
      '{"level":"warn","msg":"network dial error"',
    ];
    expect(others.map(noise)).toEqual(others.map(() => false));
  });
});

describe('ManagedProcess quietWhileStopping', () => {
  it('leaves matching lines out of the prefixed output only once stop() began', async () => {
    // A real child: prints one noise line at start, and on SIGTERM a noise line and a news line, then exits.
    const script = "console.log('NOISE at start'); process.on('SIGTERM', () => { console.log('NOISE at stop'); console.log('news at stop'); process.exit(0); }); setInterval(() => {}, 1000);";
    const p = new ManagedProcess({ name: 'child', command: process.execPath, args: ['-e', script], cwd: resolve(__dirname), env: process.env, output: 'prefixed', quietWhileStopping: (line) => line.startsWith('NOISE') });
    const written: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => written.push(String(chunk)) > 0);
    try {
      p.start();
      for (let i = 0; i < 100 && written.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await p.stop('SIGTERM', 5_000);
      // 'exit' can come before the last of the child's output has been read: wait for it, bounded.
      for (let i = 0; i < 40 && !written.some((w) => w.includes('news at stop')); i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      write.mockRestore();
    }
    expect(written).toEqual(['[child] NOISE at start\n', '[child] news at stop\n']);
  });
});
