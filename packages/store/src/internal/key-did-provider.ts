import { didKeyFromPublicKey, publicKeyFromRaw } from '@skillpass/core';
import type { IAgentContext, IIdentifier, IKeyManager } from '@veramo/core-types';
import { KeyDIDProvider } from '@veramo/did-provider-key';

type CreateArgs = Parameters<KeyDIDProvider['createIdentifier']>[0];

/**
 * Veramo's did:key provider, plus P-256 (`Secp256r1`, multicodec p256-pub, `zDn…`), which
 * Veramo 7's provider silently turns into Ed25519. Its resolver already decodes P-256.
 */
export class SkillpassKeyDIDProvider extends KeyDIDProvider {
  readonly #kms: string;

  constructor(options: { defaultKms: string }) {
    super(options);
    this.#kms = options.defaultKms;
  }

  override async createIdentifier(
    args: CreateArgs,
    context: IAgentContext<IKeyManager>,
  ): Promise<Omit<IIdentifier, 'provider'>> {
    const options = args.options as { keyType?: string; key?: { type?: string } } | undefined;
    if (options?.keyType !== 'Secp256r1' && options?.key?.type !== 'Secp256r1') {
      return super.createIdentifier(args, context);
    }
    const key = await context.agent.keyManagerCreate({ kms: args.kms ?? this.#kms, type: 'Secp256r1' });
    const did = didKeyFromPublicKey(publicKeyFromRaw('P-256', Buffer.from(key.publicKeyHex, 'hex')));
    return { did, controllerKeyId: key.kid, keys: [key], services: [] };
  }
}
