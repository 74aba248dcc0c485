/**
 * The editor settings the language server reads, in one place: the `ukc` section of the client's
 * configuration (VS Code's `ukc.*` settings, which extension/package.json declares). Langium asks for a
 * section named after the language id (`uk`); ukc's settings live under `ukc`, so the section name is
 * overridden here. A client that sends no configuration gets the defaults.
 */
import { DefaultConfigurationProvider, type ConfigurationProvider } from 'langium';
import { findProfile, profileOrDefault, type AbiProfile } from '../../layout/index.js';

/** The configuration section every ukc setting lives in. */
export const SETTINGS_SECTION = 'ukc';

export class UkConfigurationProvider extends DefaultConfigurationProvider {
    protected override toSectionName(): string {
        return SETTINGS_SECTION;
    }
}

export class UkSettings {
    constructor(private readonly configuration: ConfigurationProvider) {}

    /** `ukc.inlayHints.enabled` (default on): whether inlay hints show where each value travels. */
    async inlayHintsEnabled(): Promise<boolean> {
        const hints = await this.section('inlayHints');
        return hints?.enabled !== false;
    }

    /** `ukc.layout.abiProfile`: the ABI profile the workspace lays messages out for (ukvm32 by default). */
    async abiProfile(): Promise<AbiProfile> {
        const layout = await this.section('layout');
        const name = layout?.abiProfile;
        return (typeof name === 'string' ? findProfile(name) : undefined) ?? profileOrDefault();
    }

    private async section(name: string): Promise<Record<string, unknown> | undefined> {
        const value: unknown = await this.configuration.getConfiguration('uk', name);
        return typeof value === 'object' && value !== null ? value as Record<string, unknown> : undefined;
    }
}
