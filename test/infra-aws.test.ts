// The AWS CDK construct, synthesized offline and checked with aws-cdk-lib/assertions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { PsoxyZoomProxy } from '../infra/aws/psoxy-zoom-proxy.ts';

function synth(): Template {
  const app = new App();
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  new PsoxyZoomProxy(stack, 'Zoom', { callerPrincipals: ['arn:aws:iam::222222222222:role/analytics'], code: lambda.Code.fromInline('export const handler = async () => ({})'), memorySize: 128 });
  return Template.fromStack(stack);
}

test('Lambda: arm64, Node 24, small memory, function URL with AWS_IAM auth, psoxy settings', () => {
  const t = synth();
  t.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x', Architectures: ['arm64'], MemorySize: 128, Handler: 'index.handler', FunctionName: 'psoxy-zoom',
    Environment: { Variables: Match.objectLike({ SOURCE: 'zoom', TARGET_HOST: 'api.zoom.us', GRANT_TYPE: 'account_credentials', SECRETS_STORE: 'AWS_SECRETS_MANAGER', PATH_TO_INSTANCE_CONFIG: 'PSOXY_ZOOM_' }) },
  });
  t.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM' });
});

test("secrets in psoxy's Secrets Manager layout: the secret and token there, the ids as SSM parameters, salt and key generated", () => {
  const t = synth();
  for (const k of ['CLIENT_SECRET', 'ACCESS_TOKEN']) {
    t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: `PSOXY_ZOOM_${k}`, SecretString: 'fill me' });
  }
  for (const k of ['ACCOUNT_ID', 'CLIENT_ID']) {
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: `PSOXY_ZOOM_${k}`, Type: 'String', Value: 'fill me' });
  }
  t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'PSOXY_ZOOM_PSOXY_SALT', GenerateSecretString: Match.objectLike({ PasswordLength: 20 }) });
  t.hasResourceProperties('AWS::SecretsManager::Secret', { Name: 'PSOXY_ZOOM_PSOXY_ENCRYPTION_KEY', GenerateSecretString: Match.objectLike({ PasswordLength: 32 }) });
});

test('least privilege: reads its own secrets, writes only the token and its lock; a caller role may invoke the URL', () => {
  const t = synth();
  const policies = t.findResources('AWS::IAM::Policy');
  const statements = Object.values(policies).flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement);
  const flat = JSON.stringify(statements);
  assert.doesNotMatch(flat, /"Resource":"\*"/, 'no wildcard resources');
  const byAction = (a: string) => statements.filter((s) => ([] as string[]).concat(s.Action).includes(a));
  assert.equal(byAction('secretsmanager:PutSecretValue').length, 1);
  assert.match(JSON.stringify(byAction('secretsmanager:PutSecretValue')[0].Resource), /ACCESSTOKEN/);
  assert.match(JSON.stringify(byAction('ssm:PutParameter')[0].Resource), /parameter\/PSOXY_ZOOM_OAUTH_REFRESH_TOKEN_lock/);
  // Reads: the function's own namespace in both stores (the runtime's SplitStore reads ids from SSM).
  assert.match(JSON.stringify(byAction('ssm:GetParameters').map((x) => x.Resource)), /parameter\/PSOXY_ZOOM_\*/);
  assert.match(JSON.stringify(byAction('secretsmanager:GetSecretValue').map((x) => x.Resource)), /secret:PSOXY_ZOOM_\*/);
  assert.ok(byAction('lambda:InvokeFunctionUrl').length >= 1, 'the caller role can invoke the function URL');
  t.hasResourceProperties('AWS::IAM::Role', {
    RoleName: 'psoxy-zoom-caller',
    AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { AWS: 'arn:aws:iam::222222222222:role/analytics' } })] }),
  });
});

test('outputs: URL, caller role, how to fill the Zoom secrets, a ready psoxy call', () => {
  const t = synth();
  const outputs = JSON.stringify(t.toJSON().Outputs);
  for (const k of ['ProxyUrl', 'CallerRoleArn', 'FillZoomSecrets', 'TestCall']) assert.match(outputs, new RegExp(k));
  assert.match(outputs, /aws secretsmanager put-secret-value --secret-id PSOXY_ZOOM_CLIENT_SECRET/);
  assert.match(outputs, /aws ssm put-parameter --overwrite --name PSOXY_ZOOM_CLIENT_ID/);
  assert.match(outputs, /npm run -s psoxy -- call .*--role-arn/);
});
