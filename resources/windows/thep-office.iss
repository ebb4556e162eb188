; Inno Setup script: THE Partnership Office for one Windows user, no administrator needed.
;
; Wraps the one-folder build (packaging\thep.spec, in dist\thep-office) into
; THE-Partnership-Office-<version>-setup.exe. From the repository's folder, on Windows:
;
;   "%LOCALAPPDATA%\Programs\Inno Setup 6\ISCC.exe" resources\windows\thep-office.iss
;
; (or the ISCC.exe under C:\Program Files (x86)\Inno Setup 6). The installer lands in dist\.
; The version is read from thep-desktop.exe's version information, which the spec writes
; from thep_desktop.__version__ (one place for it); /DAppVersion=1.2.3 overrides it.
;
; The program goes to %LOCALAPPDATA%\Programs\THE Partnership Office. The office's data
; (the local database, its backups, settings and the log) live apart from it, in
; %LOCALAPPDATA%\THE Partnership\THE Partnership Office (platformdirs' user folders): a newer
; version installed over an older one finds the database there and upgrades it (after a copy
; of it is taken); uninstalling removes the program only and leaves the database, backups
; and log where they are.

#ifndef AppVersion
  #define FileVersion GetVersionNumbersString(SourcePath + "..\..\dist\thep-office\thep-desktop.exe")
  ; 0.1.0.0 -> 0.1.0, as the program itself names its version.
  #define AppVersion Copy(FileVersion, 1, RPos(".", FileVersion) - 1)
#endif
#define AppName "THE Partnership Office"
#define Publisher "THE Partnership"
; The folders platformdirs gives the program on Windows (thep_desktop/config.py).
#define DataFolder "{localappdata}\THE Partnership\THE Partnership Office"
#define LogFolder DataFolder + "\Logs"

[Setup]
; The same AppId in every version: a newer installer replaces the older program in place.
AppId={{6B1F4C57-2E0A-4F53-9D7C-54484550A001}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#Publisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per user: no administrator rights, installed under the user's own AppData.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=THE-Partnership-Office-{#AppVersion}-setup
SetupIconFile=resources\app-icon.ico
UninstallDisplayIcon={app}\thep-desktop.exe
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running copy of the program is closed before its files are replaced.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[InstallDelete]
; An upgrade starts from a clean program folder: no module of the older version is left to load.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\thep-office\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Dirs]
; The log folder exists from the start, so its shortcut opens even before the first problem;
; it is never removed by the uninstaller.
Name: "{#LogFolder}"; Flags: uninsneveruninstall

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\thep-desktop.exe"; WorkingDir: "{userdocs}"; Comment: "The office register, letters and more"
Name: "{autoprograms}\{#AppName} log folder"; Filename: "{#LogFolder}"; Comment: "Where the program writes the details of any problem"
Name: "{autoprograms}\{#AppName} command prompt (thep-admin)"; Filename: "{cmd}"; Parameters: "/k ""set PATH={app};%PATH%&& thep-admin --help"""; WorkingDir: "{userdocs}"; Comment: "thep-admin, the program's command line"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\thep-desktop.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Put a shortcut on the desktop"; Flags: unchecked

[Run]
Filename: "{app}\thep-desktop.exe"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: the uninstaller removes only the files it installed, and the office's
; database, backups, settings and log in the data folder above stay.
