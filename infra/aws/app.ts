/**
 * Example CDK app: `npm run infra:synth` writes the CloudFormation template to infra/aws/cdk.out
 * (offline; run `npm run build` first so dist/aws-lambda.zip exists). Deploy with the CDK CLI:
 * `npx aws-cdk deploy --app "node infra/aws/app.ts"`, with CALLER_PRINCIPALS set.
 */
import { App, Stack } from 'aws-cdk-lib';
import { PsoxyZoomProxy } from './psoxy-zoom-proxy.ts';

const app = new App({ outdir: process.env.CDK_OUTDIR ?? 'infra/aws/cdk.out' });
const stack = new Stack(app, 'PsoxyZoom', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' },
});
new PsoxyZoomProxy(stack, 'Zoom', {
  callerPrincipals: (process.env.CALLER_PRINCIPALS ?? 'arn:aws:iam::123456789012:root').split(','),
  memorySize: 256,
});
app.synth();
