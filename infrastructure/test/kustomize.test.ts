import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { k8sDir } from './support/paths';
import { CREDENTIAL_URL, SECRET_LOOKING_NAME } from './support/secret-names';

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects are walked as plain data
type K8sObject = Record<string, any>;

const overlays = ['staging', 'production'] as const;
const workloads = { backend: 'Deployment', 'ai-worker': 'Deployment', etl: 'CronJob' } as const;
const healthPorts: Record<string, number> = { backend: 3000, 'ai-worker': 3001 };

function render(overlay: string): K8sObject[] {
  const result = spawnSync('kubectl', ['kustomize', join(k8sDir, 'overlays', overlay)], { encoding: 'utf8' });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('kubectl is not installed: these checks render k8s/overlays with `kubectl kustomize`');
  }
  if (result.status !== 0)
    throw new Error(`kubectl kustomize k8s/overlays/${overlay} failed:\n${result.stderr}`);
  return parseAllDocuments(result.stdout).map((doc) => doc.toJS() as K8sObject);
}

function podSpecOf(object: K8sObject): K8sObject {
  return object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
}

function containersOf(object: K8sObject): K8sObject[] {
  const pod = podSpecOf(object);
  return [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
}

describe.each(overlays)('kubectl kustomize k8s/overlays/%s', (overlay) => {
  let objects: K8sObject[];
  const find = (kind: string, name: string) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name) ??
    (() => {
      throw new Error(`${overlay}: no ${kind} ${name} in the rendered output`);
    })();

  beforeAll(() => {
    objects = render(overlay);
  });

  test('renders the workloads, the Service and one ServiceAccount per service, all in namespace estate', () => {
    for (const [name, kind] of Object.entries(workloads))
      expect(find(kind, name).metadata.namespace).toBe('estate');
    expect(find('Service', 'backend').spec.selector).toEqual({ 'app.kubernetes.io/name': 'backend' });
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  test('each workload runs as its own ServiceAccount, annotated with its own role', () => {
    for (const [name, kind] of Object.entries(workloads)) {
      expect({ name, serviceAccountName: podSpecOf(find(kind, name)).serviceAccountName }).toEqual({
        name,
        serviceAccountName: name,
      });
      const roleArn = find('ServiceAccount', name).metadata.annotations?.['eks.amazonaws.com/role-arn'];
      expect({ name, roleArn }).toEqual({
        name,
        roleArn: expect.stringMatching(new RegExp(`^arn:aws:iam::\\d{12}:role/estate-${overlay}-${name}$`)),
      });
    }
  });

  test('only SENTRY_DSN comes from a Kubernetes Secret, and every secret-looking variable does', () => {
    const configMaps = new Map(
      objects.filter((o) => o.kind === 'ConfigMap').map((o) => [o.metadata.name, o]),
    );
    for (const [name, kind] of Object.entries(workloads)) {
      for (const container of containersOf(find(kind, name))) {
        const where = `${overlay} ${name}/${container.name}`;
        for (const variable of container.env ?? []) {
          const fromSecret = variable.valueFrom?.secretKeyRef !== undefined;
          expect({ where, name: variable.name, fromSecret }).toEqual({
            where,
            name: variable.name,
            fromSecret: variable.name === 'SENTRY_DSN',
          });
          if (SECRET_LOOKING_NAME.test(variable.name))
            expect({ where, name: variable.name, fromSecret }).toMatchObject({ fromSecret: true });
          expect({
            where,
            name: variable.name,
            credentialUrl: CREDENTIAL_URL.test(String(variable.value ?? '')),
          }).toMatchObject({
            credentialUrl: false,
          });
        }
        expect(
          podSpecOf(find(kind, name)).containers.some((c: K8sObject) =>
            c.env?.some((e: K8sObject) => e.name === 'SENTRY_DSN'),
          ),
        ).toBe(true);
        for (const source of container.envFrom ?? []) {
          expect({ where, secretRef: source.secretRef }).toEqual({ where, secretRef: undefined });
          const configMap = configMaps.get(source.configMapRef?.name);
          expect({
            where,
            configMap: source.configMapRef?.name,
            found: configMap !== undefined,
          }).toMatchObject({ found: true });
          for (const [key, value] of Object.entries<string>(configMap?.data ?? {})) {
            expect({
              where,
              key,
              secretLooking: SECRET_LOOKING_NAME.test(key) || CREDENTIAL_URL.test(value),
            }).toMatchObject({
              secretLooking: false,
            });
          }
        }
      }
    }
  });

  test('the ConfigMap holds NODE_ENV=production, AWS_REGION=ap-northeast-2 and this ESTATE_ENV', () => {
    const configMap = objects.find(
      (o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('estate-config'),
    );
    expect(configMap?.data).toEqual({
      NODE_ENV: 'production',
      AWS_REGION: 'ap-northeast-2',
      ESTATE_ENV: overlay,
    });
  });

  test('every container is non-root with a read-only root filesystem, no privilege escalation, no capabilities', () => {
    for (const [name, kind] of Object.entries(workloads)) {
      const pod = podSpecOf(find(kind, name));
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const container of containersOf(find(kind, name))) {
        expect({
          where: `${name}/${container.name}`,
          securityContext: container.securityContext,
        }).toMatchObject({
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        });
        const tmp = container.volumeMounts?.find((m: K8sObject) => m.mountPath === '/tmp');
        const volume = pod.volumes?.find((v: K8sObject) => v.name === tmp?.name);
        expect({
          where: `${name}/${container.name}`,
          tmpIsEmptyDir: volume?.emptyDir !== undefined,
        }).toMatchObject({ tmpIsEmptyDir: true });
      }
    }
  });

  test('every container sets CPU and memory requests and limits, and a pinned image', () => {
    for (const [name, kind] of Object.entries(workloads)) {
      for (const container of containersOf(find(kind, name))) {
        const { requests = {}, limits = {} } = container.resources ?? {};
        expect({ name, cpu: requests.cpu, memory: requests.memory }).toEqual({
          name,
          cpu: expect.anything(),
          memory: expect.anything(),
        });
        expect({ name, cpu: limits.cpu, memory: limits.memory }).toEqual({
          name,
          cpu: expect.anything(),
          memory: expect.anything(),
        });
        expect(container.image).toMatch(new RegExp(`/estate/${name}:(?!latest$)[\\w.-]+$`));
      }
    }
  });

  test('Deployments probe /healthz (liveness) and /readyz (readiness) on the service port', () => {
    for (const name of ['backend', 'ai-worker']) {
      const [container] = podSpecOf(find('Deployment', name)).containers as K8sObject[];
      const port = container!.ports.find((p: K8sObject) => p.containerPort === healthPorts[name]);
      expect({ name, port: port?.containerPort }).toEqual({ name, port: healthPorts[name] });
      expect(container!.livenessProbe.httpGet).toEqual({ path: '/healthz', port: port.name });
      expect(container!.readinessProbe.httpGet).toEqual({ path: '/readyz', port: port.name });
    }
  });

  test('the etl CronJob never overlaps and is bounded in time and retries', () => {
    const cronJob = find('CronJob', 'etl');
    expect(cronJob.spec.concurrencyPolicy).toBe('Forbid');
    expect(cronJob.spec.startingDeadlineSeconds).toBeGreaterThan(0);
    expect(cronJob.spec.jobTemplate.spec.backoffLimit).toBeGreaterThanOrEqual(0);
    expect(cronJob.spec.jobTemplate.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(podSpecOf(cronJob).restartPolicy).toBe('Never');
  });
});
