import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '../../..');
export const terraformDir = join(repoRoot, 'infrastructure', 'terraform');
export const k8sDir = join(repoRoot, 'k8s');
