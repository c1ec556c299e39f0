/**
 * A CDK construct for the Zoom proxy on AWS: the Lambda (arm64, Node 24, 128–256 MB) behind a
 * function URL with AWS_IAM auth; its secrets; least-privilege IAM; a role the analytics client
 * assumes to call it; and outputs that say exactly what the administrator does next.
 *
 * psoxy's Secrets Manager layout (`SECRETS_STORE=AWS_SECRETS_MANAGER`): secret values (client
 * secret, token, salt, key) in Secrets Manager, since CloudFormation can create neither SecureString
 * SSM parameters nor random values in SSM; the account and client ids as plain SSM parameters. The
 * token lock is an SSM parameter the proxy creates and deletes, as psoxy does.
 */
import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ZOOM_DEFAULTS } from '../../src/sources/zoom/connector.ts';

export interface PsoxyZoomProxyProps {
  /** The Lambda package (default: dist/aws-lambda.zip from `npm run build`). */
  code?: lambda.Code;
  /** 128–256 MB is plenty for this proxy (psoxy's Java needs 512–1024). */
  memorySize?: 128 | 192 | 256;
  /** Principals (ARNs) allowed to assume the caller role, e.g. the analytics vendor's role. */
  callerPrincipals: string[];
  /** Name prefix of the function and its secrets (default `psoxy-zoom` → `PSOXY_ZOOM_`). */
  name?: string;
  /** Optional: only these IPs / CIDRs may call (psoxy ALLOWED_DATA_ACCESS_IP_BLOCKS). */
  allowedIpBlocks?: string[];
}

export const PLACEHOLDER = 'fill me';

export class PsoxyZoomProxy extends Construct {
  readonly function: lambda.Function;
  readonly functionUrl: lambda.FunctionUrl;
  readonly callerRole: iam.Role;

  constructor(scope: Construct, id: string, props: PsoxyZoomProxyProps) {
    super(scope, id);
    const name = props.name ?? 'psoxy-zoom';
    const prefix = `${name.toUpperCase().replace(/-/g, '_')}_`;
    const stack = Stack.of(this);

    const generated = (key: string, length: number) => new secretsmanager.Secret(this, key, {
      secretName: `${prefix}${key}`,
      description: `psoxy ${key}: generated at deploy time; keep it, it defines the pseudonyms`,
      generateSecretString: { passwordLength: length, excludePunctuation: true },
    });
    generated('PSOXY_SALT', 20);
    generated('PSOXY_ENCRYPTION_KEY', 32);
    // psoxy's Secrets Manager layout: the secret in Secrets Manager, the ids as (plain) parameters.
    new secretsmanager.CfnSecret(this, 'CLIENT_SECRET', {
      name: `${prefix}CLIENT_SECRET`,
      description: 'Zoom client secret from the Server-to-Server OAuth app (replace the placeholder)',
      secretString: PLACEHOLDER,
    });
    for (const k of ['ACCOUNT_ID', 'CLIENT_ID']) {
      new ssm.StringParameter(this, k, {
        parameterName: `${prefix}${k}`,
        description: `Zoom ${k.replace('_', ' ').toLowerCase()} from the Server-to-Server OAuth app (replace the placeholder)`,
        stringValue: PLACEHOLDER,
      });
    }
    const token = new secretsmanager.CfnSecret(this, 'ACCESS_TOKEN', {
      name: `${prefix}ACCESS_TOKEN`,
      description: 'Zoom access token shared by the proxy instances (written by the proxy)',
      secretString: PLACEHOLDER,
    });

    const logGroup = new logs.LogGroup(this, 'Logs', { logGroupName: `/aws/lambda/${name}`, retention: logs.RetentionDays.ONE_MONTH });
    this.function = new lambda.Function(this, 'Function', {
      functionName: name,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: Duration.seconds(55),
      handler: 'index.handler',
      code: props.code ?? lambda.Code.fromAsset('dist/aws-lambda.zip'),
      logGroup,
      environment: {
        ...ZOOM_DEFAULTS,
        SECRETS_STORE: 'AWS_SECRETS_MANAGER',
        PATH_TO_INSTANCE_CONFIG: prefix,
        PATH_TO_SHARED_CONFIG: prefix,
        REQUEST_TIMEOUT_SECONDS: '50',
        NODE_OPTIONS: '--enable-source-maps',
        ...(props.allowedIpBlocks ? { ALLOWED_DATA_ACCESS_IP_BLOCKS: props.allowedIpBlocks.join(',') } : {}),
      },
    });
    // The shared prefix is the instance prefix here, so the salt is `PSOXY_ZOOM_PSOXY_SALT`.
    const role = this.function.role!;
    // Reads stay inside the function's own namespace; optional settings there read as absent, not denied.
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadOwnSecrets', actions: ['secretsmanager:GetSecretValue'],
      resources: [stack.formatArn({ service: 'secretsmanager', resource: 'secret', resourceName: `${prefix}*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadOwnParameters', actions: ['ssm:GetParameter', 'ssm:GetParameters'],
      resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${prefix}*` })],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'WriteToken', actions: ['secretsmanager:PutSecretValue', 'secretsmanager:ListSecretVersionIds'], resources: [token.ref] }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'TokenLock',
      actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'],
      resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: `${prefix}OAUTH_REFRESH_TOKEN_lock` })],
    }));

    this.functionUrl = this.function.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.AWS_IAM });
    this.callerRole = new iam.Role(this, 'CallerRole', {
      roleName: `${name}-caller`,
      assumedBy: new iam.CompositePrincipal(...props.callerPrincipals.map((arn) => new iam.ArnPrincipal(arn))),
      description: 'Assumed by the analytics client to call the psoxy Zoom proxy',
    });
    this.functionUrl.grantInvokeUrl(this.callerRole);

    // Secret names in the form `secret:<name>` resolve in the region and account of the stack.
    const fill = [
      ...['ACCOUNT_ID', 'CLIENT_ID'].map((k) => `aws ssm put-parameter --overwrite --name ${prefix}${k} --value '<Zoom ${k}>'`),
      `aws secretsmanager put-secret-value --secret-id ${prefix}CLIENT_SECRET --secret-string '<Zoom CLIENT_SECRET>'`,
    ].join(' && ');
    new CfnOutput(this, 'ProxyUrl', { value: this.functionUrl.url, description: 'Psoxy base URL (give it to the analytics client)' });
    new CfnOutput(this, 'CallerRoleArn', { value: this.callerRole.roleArn, description: 'Role the analytics client assumes' });
    new CfnOutput(this, 'FillZoomSecrets', { value: fill, description: 'Step 1: copy Account ID, Client ID and Client Secret from your Zoom Server-to-Server OAuth app' });
    new CfnOutput(this, 'TestCall', {
      value: `npm run -s psoxy -- call ${this.functionUrl.url}v2/users?page_size=5 --role-arn ${this.callerRole.roleArn}`,
      description: 'Step 2: a signed test call through the proxy (add --health for the health check)',
    });
  }
}
