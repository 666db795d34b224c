/** A small Open Badges 3.0 credential (VC 2.0), unsigned, issued by `issuer`. */
export function unsignedBadge(issuer: string): Record<string, unknown> {
  return {
    '@context': [
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
    ],
    id: 'urn:uuid:5b0c3f9e-2f3a-4e0b-9b7e-2a4f0a9e1c11',
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Manual metal arc welding',
    issuer: { id: issuer, type: ['Profile'], name: 'Metalektro Assessment Centre' },
    validFrom: '2025-03-01T09:00:00Z',
    credentialSubject: {
      id: 'did:example:worker',
      type: ['AchievementSubject'],
      achievement: {
        id: 'urn:uuid:0b5b2b8e-7c0d-5a51-9d2a-1f8f4c3e2d10',
        type: ['Achievement'],
        name: 'Manual metal arc welding',
        description: 'Able to weld steel plate with coated electrodes.',
        criteria: { narrative: 'Practical exam at the centre.' },
        alignment: [
          {
            type: ['Alignment'],
            targetName: 'weld metal',
            targetUrl: 'http://data.europa.eu/esco/skill/2b2d3b4a-0d4c-4c5e-8b0a-1e2f3a4b5c6d',
            targetFramework: 'ESCO',
          },
        ],
      },
    },
  };
}
